// `npm run bench`: how fast Parley's hot paths are and how much memory they hold, measured
// rather than asserted (timings belong here, not in tests). Prints a Markdown table for
// README's "Performance" section and writes the same figures to .tmp/bench.json.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDiscordMarkdown } from "../../src/connectors/discord/convert/markdown-parse.js";
import { renderDiscordMarkdown } from "../../src/connectors/discord/convert/markdown-render.js";
import { discordParseContext, discordRenderContext } from "../../src/connectors/discord/convert/context.js";
import { parseSlackMrkdwn } from "../../src/connectors/slack/convert/mrkdwn-parse.js";
import { renderSlackMrkdwn } from "../../src/connectors/slack/convert/mrkdwn-render.js";
import { slackParseContext, slackRenderContext } from "../../src/connectors/slack/convert/context.js";
import { parseMatrixHtml } from "../../src/core/format/matrix-html-parse.js";
import { renderMatrix } from "../../src/core/format/matrix-html-render.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

interface Result {
  name: string;
  operations: number;
  perSecond: number;
  microsEach: number;
}

const results: Result[] = [];

async function measure(name: string, operations: number, run: (index: number) => unknown): Promise<void> {
  for (let index = 0; index < Math.min(200, operations); index++) await run(index); // warm up the JIT
  const started = process.hrtime.bigint();
  for (let index = 0; index < operations; index++) await run(index);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  results.push({ name, operations, perSecond: Math.round(operations / seconds), microsEach: Math.round((seconds / operations) * 1e7) / 10 });
}

const DISCORD_MESSAGES = [
  "hello world",
  "**bold** and *italic* and __underline__ with ~~strike~~ and ||a spoiler||",
  "<@111> look at <#222>, <:party:333> and https://example.org/some_path_(x)",
  "> quoted line\nreply under it\n```ts\nconst x: number = 1;\n```",
  "- one\n- two with `code`\n  - nested **bold**\n1. first\n2. second",
];
const MATRIX_HTML = [
  "hello <strong>world</strong>",
  '<p>a <a href="https://matrix.to/#/@alice:example.org">Alice</a> <em>link</em> to <a href="https://example.org">there</a></p><blockquote>quote</blockquote>',
  '<pre><code class="language-js">let a = 1 &lt; 2;\n</code></pre><ul><li>one</li><li><del>two</del></li></ul>',
];
const SLACK_TEXT = ["plain text", "*bold* _italic_ ~strike~ `code` <https://example.org|a link> <@U123> :tada:", "&gt; quote\n• item one\n• item two"];

async function main(): Promise<void> {
  const parseContext = discordParseContext({ users: { "111": { matrixUserId: "@discord_111:hs", displayName: "Someone" } }, channels: { "222": { name: "general", roomIdOrAlias: "#discord_1_222:hs" } } });
  const renderContext = discordRenderContext({ users: { "@alice:example.org": "444" } });
  const slackParse = slackParseContext({ users: { U123: { matrixUserId: "@slack_t_u123:hs", displayName: "Bob" } } });
  const slackRender = slackRenderContext({});

  await measure("Discord markdown -> Matrix HTML", 20_000, (i) =>
    renderMatrix(parseDiscordMarkdown(DISCORD_MESSAGES[i % DISCORD_MESSAGES.length] as string, parseContext)));
  await measure("Matrix HTML -> Discord markdown", 20_000, (i) =>
    renderDiscordMarkdown(parseMatrixHtml(MATRIX_HTML[i % MATRIX_HTML.length] as string), renderContext));
  await measure("Slack mrkdwn -> Matrix HTML", 20_000, (i) =>
    renderMatrix(parseSlackMrkdwn(SLACK_TEXT[i % SLACK_TEXT.length] as string, slackParse)));
  await measure("Matrix HTML -> Slack mrkdwn", 20_000, (i) =>
    renderSlackMrkdwn(parseMatrixHtml(MATRIX_HTML[i % MATRIX_HTML.length] as string), slackRender));

  const dir = mkdtempSync(join(tmpdir(), "parley-bench-"));
  const store = new SqliteStore(join(dir, "bench.db"));
  await measure("store: save an incoming Matrix event (durable)", 5_000, (i) =>
    store.inboxAdd([{ eventId: `$e${i}`, roomId: "!r:hs", event: { event_id: `$e${i}`, content: { body: "hello" } }, receivedAt: Date.now() }]));
  await measure("store: record a bridged message", 5_000, (i) =>
    store.addMessageParts([{ roomId: "!r:hs", eventId: `$m${i}`, network: "discord", chat: "c", remoteId: `r${i}`, part: 0, senderMxid: "@a:hs", origin: "remote", createdAt: i }]));
  await measure("store: look a message up by remote id", 20_000, (i) => store.partsForRemote("discord", "c", `r${i % 5000}`));
  await store.close();

  const memory = process.memoryUsage();
  const table = [
    "| operation | operations | per second | µs each |",
    "| --- | ---: | ---: | ---: |",
    ...results.map((r) => `| ${r.name} | ${r.operations} | ${r.perSecond} | ${r.microsEach} |`),
  ].join("\n");
  console.log(table);
  console.log(`\nResident memory after the run: ${Math.round(memory.rss / 1048576)} MiB (heap used ${Math.round(memory.heapUsed / 1048576)} MiB), Node.js ${process.version}`);
  mkdirSync(".tmp", { recursive: true });
  writeFileSync(".tmp/bench.json", JSON.stringify({ results, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, node: process.version }, null, 2));
}

void main();
