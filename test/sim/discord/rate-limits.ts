import { createHash } from "node:crypto";

export interface RateLimitOptions {
  /** Requests per bucket per window. Real per-route limits are lower (often 5 per 5 s); tests want speed. */
  limit: number;
  windowSeconds: number;
}

/**
 * A failure to hand out instead of handling a request. A 5xx with `afterRunning` lets the
 * request take effect and loses its answer, as when Discord's edge times out on its backend.
 */
export type Fault = { status: 429; retryAfter: number; global?: boolean } | { status: 500 | 502 | 503 | 504; afterRunning?: boolean };

/** Which requests a fault applies to: method and a path (relative to /api/v10) prefix or pattern. */
export interface FaultFilter {
  method?: string;
  path?: string | RegExp;
}

export interface Verdict {
  headers: Record<string, string>;
  /** Set when the request must be answered with this failure instead of being handled. */
  failure?: { status: number; body: unknown };
  /** Set when the request is handled but answered with this failure. */
  failureAfterRunning?: { status: number; body: unknown };
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

/**
 * Discord's per-route buckets: each response carries X-RateLimit-* headers for the bucket its route belongs to
 * (method + route template, per major parameter), and going over the limit yields a real 429. Tests can also
 * queue faults (429s, 5xx) for the next matching requests.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly faults: Array<{ remaining: number; fault: Fault; filter: FaultFilter }> = [];

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  failNext(count: number, fault: Fault, filter: FaultFilter = {}): void {
    this.faults.push({ remaining: count, fault, filter });
  }

  /** `route` is the template ("POST /channels/:channel_id/messages"), `major` its major parameter value. */
  check(method: string, path: string, route: string, major: string): Verdict {
    const hash = createHash("sha1").update(route).digest("hex").slice(0, 32);
    const key = `${hash}:${major}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: this.options.limit, resetAt: now + this.options.windowSeconds * 1000 };
      this.buckets.set(key, bucket);
    }
    const fault = this.takeFault(method, path);
    if (fault?.status === 429) {
      return this.tooManyRequests(hash, { remaining: 0, resetAt: now + fault.retryAfter * 1000 }, fault.global ?? false, now);
    }
    if (fault) {
      const failure = { status: fault.status, body: { message: `${fault.status}: Simulated server error`, code: 0 } };
      return { headers: this.headers(hash, bucket, now), ...(fault.afterRunning ? { failureAfterRunning: failure } : { failure }) };
    }
    if (bucket.remaining === 0) return this.tooManyRequests(hash, bucket, false, now);
    bucket.remaining -= 1;
    return { headers: this.headers(hash, bucket, now) };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(({ filter }) => matches(filter, method, path));
    if (index < 0) return undefined;
    const entry = this.faults[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  /** `now` is the request's moment, read once: the headers and the body agree to the millisecond. */
  private headers(hash: string, bucket: Bucket, now: number): Record<string, string> {
    const resetAfter = Math.max(0, (bucket.resetAt - now) / 1000);
    return {
      "X-RateLimit-Limit": String(this.options.limit),
      "X-RateLimit-Remaining": String(bucket.remaining),
      "X-RateLimit-Reset": (bucket.resetAt / 1000).toFixed(3),
      "X-RateLimit-Reset-After": resetAfter.toFixed(3),
      "X-RateLimit-Bucket": hash,
    };
  }

  private tooManyRequests(hash: string, bucket: Bucket, global: boolean, now: number): Verdict {
    const retryAfter = Math.max(0, (bucket.resetAt - now) / 1000);
    return {
      headers: {
        ...this.headers(hash, bucket, now),
        // The header is whole seconds; the body has the precise value.
        "Retry-After": String(Math.ceil(retryAfter)),
        "X-RateLimit-Scope": global ? "global" : "user",
        ...(global ? { "X-RateLimit-Global": "true" } : {}),
      },
      failure: {
        status: 429,
        body: { message: "You are being rate limited.", retry_after: Number(retryAfter.toFixed(3)), global },
      },
    };
  }
}

function matches(filter: FaultFilter, method: string, path: string): boolean {
  if (filter.method && filter.method.toUpperCase() !== method) return false;
  if (filter.path === undefined) return true;
  return typeof filter.path === "string" ? path.startsWith(filter.path) : filter.path.test(path);
}
