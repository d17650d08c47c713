// One HTTP call to a Matrix homeserver, with failures turned into errors that say which call
// failed, with what status and errcode, so a failing end-to-end test explains itself.

export class MatrixApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errcode: string | undefined,
    readonly matrixError: string | undefined,
  ) {
    super(`${method} ${path} failed: HTTP ${status} ${errcode ?? "(no errcode)"}: ${matrixError ?? "(no error text)"}`);
    this.name = "MatrixApiError";
  }
}

export interface MatrixRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the base URL, already percent-encoded where needed. */
  path: string;
  accessToken?: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body, or raw bytes when `contentType` is given. */
  body?: unknown;
  contentType?: string;
}

/** Sends the request and returns the raw response when it succeeded (2xx). */
export async function matrixFetch(baseUrl: string, request: MatrixRequest): Promise<Response> {
  const url = new URL(request.path, baseUrl);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = {};
  if (request.accessToken) headers.authorization = `Bearer ${request.accessToken}`;
  let body: RequestInit["body"];
  if (request.contentType) {
    headers["content-type"] = request.contentType;
    body = request.body as RequestInit["body"];
  } else if (request.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(request.body);
  }

  const response = await fetch(url, { method: request.method, headers, body });
  if (!response.ok) {
    const text = await response.text();
    let parsed: { errcode?: string; error?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { error: text.slice(0, 200) };
    }
    throw new MatrixApiError(request.method, request.path, response.status, parsed.errcode, parsed.error);
  }
  return response;
}

/** Like matrixFetch, for the usual JSON response. */
export async function matrixJson<T>(baseUrl: string, request: MatrixRequest): Promise<T> {
  const response = await matrixFetch(baseUrl, request);
  return (await response.json()) as T;
}
