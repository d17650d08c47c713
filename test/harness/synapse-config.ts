// Writes everything a throwaway Synapse needs into its data directory: homeserver.yaml, the
// appservice registration and a signing key. Tuned for tests: loopback only, SQLite, cheap
// password hashing, no rate limits, nothing that reaches out to the internet.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";

/** The appservice registration file's fields, as Synapse reads them. */
export interface AppserviceRegistration {
  id: string;
  /** Where Synapse pushes transactions; null for an appservice that only acts, never listens. */
  url: string | null;
  as_token: string;
  hs_token: string;
  sender_localpart: string;
  namespaces: {
    users?: AppserviceNamespace[];
    aliases?: AppserviceNamespace[];
    rooms?: AppserviceNamespace[];
  };
  /** Synapse rate-limits an appservice whose registration leaves this out. */
  rate_limited?: boolean;
  receive_ephemeral?: boolean;
  protocols?: string[];
  [extension: string]: unknown;
}

export interface AppserviceNamespace {
  exclusive: boolean;
  regex: string;
}

export interface SynapseFiles {
  configPath: string;
  logPath: string;
  /** Secret for the shared-secret registration admin API. */
  registrationSharedSecret: string;
}

/** High enough that no test ever waits on a limiter. */
const UNLIMITED = { per_second: 100_000, burst_count: 1_000_000 };

const RATE_LIMITS = {
  rc_message: UNLIMITED,
  rc_registration: UNLIMITED,
  rc_registration_token_validity: UNLIMITED,
  rc_login: { address: UNLIMITED, account: UNLIMITED, failed_attempts: UNLIMITED },
  rc_admin_redaction: UNLIMITED,
  rc_joins: { local: UNLIMITED, remote: UNLIMITED },
  rc_joins_per_room: UNLIMITED,
  rc_3pid_validation: UNLIMITED,
  rc_invites: { per_room: UNLIMITED, per_user: UNLIMITED, per_issuer: UNLIMITED },
  rc_third_party_invite: UNLIMITED,
  rc_media_create: UNLIMITED,
  rc_presence: { per_user: UNLIMITED },
  rc_delayed_event_mgmt: UNLIMITED,
  rc_room_creation: UNLIMITED,
  rc_reports: UNLIMITED,
  rc_user_directory: UNLIMITED,
  rc_profile: UNLIMITED,
  rc_key_requests: UNLIMITED,
  rc_federation: { window_size: 1000, sleep_limit: 100_000, sleep_delay: 0, reject_limit: 1_000_000, concurrent: 1000 },
};

export async function writeSynapseFiles(
  dataDir: string,
  options: { serverName: string; port: number; registration: AppserviceRegistration; extraRegistrations?: AppserviceRegistration[] },
): Promise<SynapseFiles> {
  const configPath = join(dataDir, "homeserver.yaml");
  const registrationPath = join(dataDir, "appservice-registration.yaml");
  const extraPaths = (options.extraRegistrations ?? []).map((_registration, index) => join(dataDir, `appservice-registration-${index + 2}.yaml`));
  const signingKeyPath = join(dataDir, "signing.key");
  const registrationSharedSecret = randomSecret();

  const config = {
    server_name: options.serverName,
    public_baseurl: `http://127.0.0.1:${options.port}/`,
    pid_file: join(dataDir, "homeserver.pid"),
    listeners: [
      {
        port: options.port,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: false,
        x_forwarded: false,
        resources: [{ names: ["client"], compress: false }],
      },
    ],
    database: { name: "sqlite3", args: { database: join(dataDir, "homeserver.db") } },
    signing_key_path: signingKeyPath,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    report_stats: false,
    enable_metrics: false,
    macaroon_secret_key: randomSecret(),
    form_secret: randomSecret(),
    registration_shared_secret: registrationSharedSecret,
    enable_registration: true,
    enable_registration_without_verification: true,
    bcrypt_rounds: 4,
    app_service_config_files: [registrationPath, ...extraPaths],
    media_store_path: join(dataDir, "media_store"),
    max_upload_size: "50M",
    enable_authenticated_media: true,
    url_preview_enabled: false,
    presence: { enabled: false },
    ...RATE_LIMITS,
  };

  await Promise.all([
    writeFile(configPath, stringify(config)),
    writeFile(registrationPath, stringify(options.registration)),
    ...(options.extraRegistrations ?? []).map((registration, index) => writeFile(extraPaths[index] as string, stringify(registration))),
    writeFile(signingKeyPath, signingKeyLine()),
  ]);
  return { configPath, logPath: join(dataDir, "synapse.log"), registrationSharedSecret };
}

/**
 * A Synapse signing key file line: `ed25519 <version> <unpadded base64 of the 32-byte seed>`.
 * Made here rather than with `--generate-keys`, which would cost a second Python start.
 */
function signingKeyLine(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "jwk" }).d;
  if (!seed) throw new Error("node did not export the ed25519 seed");
  const unpadded = Buffer.from(seed, "base64url").toString("base64").replace(/=+$/, "");
  return `ed25519 a_${randomBytes(3).toString("hex")} ${unpadded}\n`;
}

function randomSecret(): string {
  return randomBytes(24).toString("hex");
}
