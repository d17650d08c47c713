/** A parsed command line: the command word and its flags. */
export interface CommandLine {
  command?: string;
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

interface FlagSpec {
  long: string;
  short?: string;
  takesValue: boolean;
}

export const FLAGS: readonly FlagSpec[] = [
  { long: "config", short: "c", takesValue: true },
  { long: "file", short: "f", takesValue: true },
  { long: "url", short: "u", takesValue: true },
  { long: "force", takesValue: false },
  { long: "help", short: "h", takesValue: false },
  { long: "version", short: "V", takesValue: false },
];

export function parseArgs(argv: readonly string[]): CommandLine {
  const flags = new Map<string, string | true>();
  let command: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string;
    if (!word.startsWith("-")) {
      if (command !== undefined) throw new UsageError(`unexpected argument "${word}"`);
      command = word;
      continue;
    }
    const [name, inlineValue] = word.startsWith("--") ? word.slice(2).split(/=(.*)/s, 2) : [word.slice(1), undefined];
    const spec = FLAGS.find((flag) => flag.long === name || flag.short === name);
    if (!spec) throw new UsageError(`unknown option "${word}"`);
    if (!spec.takesValue) {
      flags.set(spec.long, true);
      continue;
    }
    const value = inlineValue ?? argv[++index];
    if (value === undefined || value.startsWith("-")) throw new UsageError(`option --${spec.long} needs a value`);
    flags.set(spec.long, value);
  }
  return { command, flags };
}
