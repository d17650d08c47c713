import type { Logger } from "winston";
import type { AccountLinks } from "../core/account-links.js";
import type { Connector } from "../core/connector.js";
import { escapeHtml } from "../core/format/escape-html.js";
import type { HttpServer } from "./server.js";

/** A small page for the person whose browser lands here: what happened, in plain words. */
function page(status: number, title: string, text: string) {
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "referrer-policy": "no-referrer",
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      `<style>body{font-family:sans-serif;max-width:36em;margin:4em auto;line-height:1.5}</style></head>` +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
  };
}

export function addOAuthRoutes(
  server: HttpServer,
  accounts: AccountLinks,
  connectorFor: (network: string) => Connector | undefined,
  log: Logger,
): void {
  server.route("GET", "/oauth/:network/callback", async (request) => {
    const network = request.params.network ?? "";
    const query = request.url.searchParams;
    const outcome = await accounts.complete(connectorFor(network), network, query.get("state") ?? "", query.get("code") ?? "");
    if (!outcome.ok) {
      log.info("An account link was refused", { network, reason: outcome.reason });
      return page(400, "Account not linked", outcome.reason);
    }
    return page(200, "Account linked",
      `Your ${connectorFor(network)?.displayName ?? network} account ${outcome.account.displayName} is now linked to Matrix. You can close this page.`);
  });
}
