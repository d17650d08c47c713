// The `parley` command line as an admin uses it, run as a real process.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { startSynapse, type SynapseHandle } from "../harness/synapse.js";
import { freePort } from "../harness/test-utils.js";

const MAIN = join(import.meta.dirname, "../../src/main.ts");
const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", MAIN, ...args], { encoding: "utf8", timeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), "parley-cli-"));
const writeConfig = (name: string, config: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof config === "string" ? config : stringify(config));
  return path;
};


describe("parley command line", () => {
  it("prints usage for --help and the version for --version", () => {
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("parley generate-registration -c config.yaml -f registration.yaml");
    const version = run("--version");
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  it.each([["frobnicate"], ["start", "--colour"], [], ["check-config", "-c"]])("exits 2 with usage for %j", (...args) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage:");
  });

  it("check-config lists every problem by key path and exits 1", () => {
    const path = writeConfig("bad.yaml", { homeserver: { url: "nope" }, discord: { enabled: true }, loggin: {} });
    const result = run("check-config", "-c", path);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("homeserver.url: must be an http(s) URL");
    expect(result.stderr).toContain("homeserver.serverName: required");
    expect(result.stderr).toContain("discord.botToken: required when discord.enabled is true");
    expect(result.stderr).toContain("loggin: unknown key");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("check-config explains unreadable YAML and missing files without a stack trace", () => {
    const broken = run("check-config", "-c", writeConfig("broken.yaml", "homeserver: [unclosed"));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain("not valid YAML");
    const missing = run("check-config", "-c", join(dir, "absent.yaml"));
    expect(missing.stderr).toContain("cannot read the file");
  });

  it("check-config accepts the shipped example", () => {
    const result = run("check-config", "-c", "config.example.yaml");
    expect(result.status).toBe(0);
  });

  it("generate-registration writes namespaces for the enabled networks and will not overwrite without --force", () => {
    const config = parse(readFileSync("config.example.yaml", "utf8"));
    config.homeserver.serverName = "example.org";
    config.discord.enabled = true;
    config.discord.botToken = "token";
    const configPath = writeConfig("gen.yaml", config);
    const registrationPath = join(dir, "registration.yaml");
    expect(run("generate-registration", "-c", configPath, "-f", registrationPath, "-u", "http://parley:9898").status).toBe(0);
    const registration = parse(readFileSync(registrationPath, "utf8"));
    expect(registration).toMatchObject({
      id: "parley", url: "http://parley:9898", sender_localpart: "parley", rate_limited: false, receive_ephemeral: true,
      "de.sorunome.msc2409.push_ephemeral": true,
      namespaces: {
        users: [{ exclusive: true, regex: "@discord_.+:example\\.org" }],
        aliases: [{ exclusive: true, regex: "#discord_.+_.+:example\\.org" }],
      },
    });
    expect(registration.as_token).toMatch(/^[0-9a-f]{64}$/);
    expect(registration.hs_token).not.toBe(registration.as_token);

    const again = run("generate-registration", "-c", configPath, "-f", registrationPath);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists; use --force");
    expect(parse(readFileSync(registrationPath, "utf8")).as_token).toBe(registration.as_token);
    expect(run("generate-registration", "-c", configPath, "-f", registrationPath, "--force").status).toBe(0);
    expect(parse(readFileSync(registrationPath, "utf8")).as_token).not.toBe(registration.as_token);
  });
});

describe("parley start against a real Synapse", () => {
  let synapse: SynapseHandle | undefined;
  afterAll(async () => { await synapse?.stop(); });

  it("generates a registration, starts, answers a user and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const config = parse(readFileSync("config.example.yaml", "utf8"));
    config.appservice.port = port;
    config.appservice.publicUrl = `http://127.0.0.1:${port}`;
    config.database.path = join(dir, "start", "parley.db");
    const configPath = writeConfig("start.yaml", config);
    const registrationPath = join(dir, "start-registration.yaml");
    expect(run("generate-registration", "-c", configPath, "-f", registrationPath).status).toBe(0);

    synapse = await startSynapse({ registration: parse(readFileSync(registrationPath, "utf8")), serverName: "localhost" });
    config.homeserver.url = synapse.baseUrl;
    writeConfig("start.yaml", config);

    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "start", "-c", configPath, "-f", registrationPath]);
    let output = "";
    child.stdout.on("data", (chunk) => { output += String(chunk); });
    child.stderr.on("data", (chunk) => { output += String(chunk); });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      for (let waited = 0; !output.includes("is ready"); waited += 100) {
        if (waited > 30_000 || child.exitCode !== null) throw new Error(`Parley did not become ready:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toMatch(/Parley \d+\.\d+\.\d+ is ready: listening on 127\.0\.0\.1:\d+/);

      const alice = await synapse.registerUser("alice");
      const dm = await alice.createDirectRoom("@parley:localhost");
      await alice.waitForEvent(dm, (event) => event.type === "m.room.member" && event.state_key === "@parley:localhost" && event.content.membership === "join");
      await alice.sendText(dm, "ping");
      await alice.waitForEvent(dm, (event) => event.sender === "@parley:localhost" && String(event.content.body).startsWith("Pong!"));
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("Parley stopped");
    expect(output).not.toContain(parse(readFileSync(registrationPath, "utf8")).as_token);
  });
});
