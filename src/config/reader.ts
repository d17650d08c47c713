/**
 * Reads one YAML mapping with typed accessors and collects every problem with its key path,
 * so `parley check-config` can list them all at once instead of stopping at the first.
 * Keys nobody asked for are reported too: a misspelt key silently falling back to a
 * default is the kind of mistake that costs an admin an evening.
 */
export class ConfigProblems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

type Raw = Record<string, unknown>;

export class ConfigReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly raw: Raw,
    readonly path: string,
    readonly problems: ConfigProblems,
  ) {}

  static root(raw: unknown, problems: ConfigProblems): ConfigReader {
    if (raw === null || raw === undefined) return new ConfigReader({}, "", problems);
    if (typeof raw !== "object" || Array.isArray(raw)) {
      problems.add("(top level)", "must be a mapping of keys to values");
      return new ConfigReader({}, "", problems);
    }
    return new ConfigReader(raw as Raw, "", problems);
  }

  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  private take(key: string): unknown {
    this.seen.add(key);
    const value = this.raw[key];
    return value === null ? undefined : value;
  }

  /** A nested mapping; absent reads as empty so its keys fall back to their defaults. */
  section(key: string): ConfigReader {
    const value = this.take(key);
    if (value === undefined) return new ConfigReader({}, this.keyPath(key), this.problems);
    if (typeof value !== "object" || Array.isArray(value)) {
      this.problems.add(this.keyPath(key), "must be a mapping");
      return new ConfigReader({}, this.keyPath(key), this.problems);
    }
    return new ConfigReader(value as Raw, this.keyPath(key), this.problems);
  }

  /** A list of mappings, each read by its own reader (`slack.workspaces[0].botToken`). */
  sections(key: string): ConfigReader[] {
    const value = this.take(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problems.add(this.keyPath(key), "must be a list");
      return [];
    }
    return value.map((item, index) => {
      const path = `${this.keyPath(key)}[${index}]`;
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        this.problems.add(path, "must be a mapping");
        return new ConfigReader({}, path, this.problems);
      }
      return new ConfigReader(item as Raw, path, this.problems);
    });
  }

  optionalString(key: string): string | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value !== "string") {
      this.problems.add(this.keyPath(key), "must be a string");
      return undefined;
    }
    return value;
  }

  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  /** A string that must be present (and non-empty) when `when` holds, explained by `reason`. */
  requiredString(key: string, reason = "required"): string {
    const value = this.optionalString(key);
    if (value === undefined || value.trim() === "") {
      this.problems.add(this.keyPath(key), reason);
      return "";
    }
    return value;
  }

  url(key: string, fallback?: string, { required = false, reason = "required" } = {}): string {
    const value = this.optionalString(key) ?? fallback;
    if (value === undefined || value === "") {
      if (required) this.problems.add(this.keyPath(key), reason);
      return "";
    }
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("scheme");
    } catch {
      this.problems.add(this.keyPath(key), `must be an http(s) URL, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** A localpart template such as `discord_{userId}`, which must hold every placeholder named. */
  template(key: string, fallback: string, placeholders: readonly string[]): string {
    const value = this.string(key, fallback);
    for (const placeholder of placeholders) {
      if (!value.includes(`{${placeholder}}`)) this.problems.add(this.keyPath(key), `must contain {${placeholder}}`);
    }
    if (/[^a-z0-9._=\-/]/.test(value.replace(/\{[a-zA-Z]+\}/g, ""))) {
      this.problems.add(this.keyPath(key), "may only hold a-z, 0-9, ._=-/ besides its placeholders");
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      this.problems.add(this.keyPath(key), `must be true or false, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  }

  integer(key: string, fallback: number, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.problems.add(this.keyPath(key), `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !choices.includes(value as T)) {
      this.problems.add(this.keyPath(key), `must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value as T;
  }

  stringList(key: string): string[] {
    const value = this.take(key);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string" && typeof item !== "number")) {
      this.problems.add(this.keyPath(key), "must be a list of strings");
      return [];
    }
    return value.map(String);
  }

  /** A mapping of free-form keys to strings (for example permissions: who -> level). */
  stringMap(key: string): Map<string, string> {
    const value = this.take(key);
    const result = new Map<string, string>();
    if (value === undefined) return result;
    if (typeof value !== "object" || Array.isArray(value)) {
      this.problems.add(this.keyPath(key), "must be a mapping");
      return result;
    }
    for (const [entryKey, entryValue] of Object.entries(value as Raw)) {
      if (typeof entryValue !== "string") {
        this.problems.add(`${this.keyPath(key)}.${entryKey}`, "must be a string");
        continue;
      }
      result.set(entryKey, entryValue);
    }
    return result;
  }

  /** Consumes a key without reading it, for settings that do not apply in this mode. */
  ignore(key: string): void {
    this.seen.add(key);
  }

  /** Consumes every key, for a section that is skipped while disabled. */
  ignoreRemaining(): void {
    for (const key of Object.keys(this.raw)) this.seen.add(key);
  }

  /** Call once every key of this mapping has been read. */
  rejectUnknownKeys(): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.seen.has(key)) this.problems.add(this.keyPath(key), "unknown key");
    }
  }
}
