// Browser test of the AI-automation product: create a template → run it → watch its tokens
// stream into the task page → the result is stored. A real worker (apps/worker's startWorker,
// in its own process: ./worker-process.ts) runs the task through the real `openai` SDK against
// the local OpenAI-compatible test server (loopback), which streams slowly so the page shows
// the answer growing.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts "AI task"
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startOpenAITestServer } from "@plinth/ai/testing/openai-server";
import { createPrismaClient } from "@plinth/db";
import { DEMO_PASSWORD } from "../../prisma/seed.ts";
import { launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";
import { startWorkerProcess } from "./worker-process.ts";

const TOKENS = ["Plinth ", "streams ", "every ", "token ", "to ", "the ", "task ", "page."];

export async function runAiTasks(baseUrl: string, setup: { databaseUrl: string }) {
  const provider = await startOpenAITestServer();
  // Slow enough that the page (loaded and hydrated on a busy machine) sees the answer grow.
  provider.script({ kind: "stream", tokens: TOKENS, tokenDelayMs: 1_500 });
  // The worker's platform provider: the local server.
  const worker = await startWorkerProcess(setup.databaseUrl, {
    OPENAI_API_KEY: "sk-e2e-platform-key-0000",
    OPENAI_BASE_URL: provider.baseURL,
  });
  const prisma = createPrismaClient(setup.databaseUrl, { role: "system" });
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);
    const debug: string[] = [];
    const t0 = Date.now();
    page.on("request", (r) => {
      if (r.url().includes("aiTask"))
        debug.push(`${Date.now() - t0} req ${r.method()} ${r.url().slice(0, 120)}`);
    });
    page.on("response", (r) => {
      if (r.url().includes("aiTask"))
        debug.push(`${Date.now() - t0} res ${r.status()} ${JSON.stringify(r.headers())}`);
    });
    await page.goto("/sign-in");
    await signInWithPassword(page, "pro@demo.plinth.dev", DEMO_PASSWORD);
    await page.waitForURL(/\/o\/[^/]+/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    assert.ok(slug, "organization slug");

    // The nav entry of the module leads to the AI page.
    await page.getByRole("link", { name: "AI tasks" }).first().click();
    await page.waitForURL(new RegExp(`/o/${slug}/ai$`));
    await page.getByRole("link", { name: "New template" }).click();
    await page.waitForURL(/\/ai\/templates\/new$/);

    await page.getByLabel("Name", { exact: true }).fill("Release headline");
    await page.getByRole("combobox", { name: "Provider" }).click();
    await page.getByRole("option", { name: "OpenAI-compatible" }).click();
    await page.getByLabel("Model").fill("gpt-4o-mini");
    await page.getByLabel("Prompt template").fill("Write a headline for {{feature}}");
    await page.getByRole("button", { name: "Add from prompt" }).click();
    await page.getByTestId("variable-row").first().waitFor();
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL(new RegExp(`/o/${slug}/ai$`));

    const templates = page.getByRole("table", { name: "Templates" });
    const row = templates.getByRole("row").filter({ hasText: "Release headline" });
    await row.getByRole("button", { name: "Run" }).click();
    await page.getByLabel("feature").fill("live token streaming");
    await page.getByRole("button", { name: "Run task" }).click();
    await page.waitForURL(/\/ai\/tasks\/c[a-z0-9]{24}$/, { timeout: 30_000 });
    const taskId = new URL(page.url()).pathname.split("/").at(-1) ?? "";

    // Tokens arrive one by one: the page shows a part of the answer before all of it.
    const output = page.getByTestId("task-output");
    const seen = new Set<string>();
    const full = TOKENS.join("");
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const text = (await output.innerText()).trim();
      if (!seen.has(text)) debug.push(`${Date.now() - t0} text ${text.slice(0, 60)}`);
      if (text.startsWith("Plinth")) seen.add(text);
      if (text === full.trim()) break;
      await page.waitForTimeout(100);
    }
    const partial = [...seen].filter((text) => text !== full.trim());
    assert.ok(
      partial.length >= 2,
      `partial answers seen while streaming: ${JSON.stringify(partial)}\n${debug.join("\n")}\n${consoleErrors.join("\n")}`,
    );
    await page.getByTestId("task-result").waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId("task-result").innerText(), /Plinth streams every token/);

    const stored = await prisma.aiTask.findUniqueOrThrow({ where: { id: taskId } });
    assert.equal(stored.status, "SUCCEEDED");
    assert.equal(stored.resultText, full);
    assert.equal(stored.keySource, "platform");
    assert.equal(stored.completionTokens, TOKENS.length);
    assert.equal(
      provider.requests[0]?.body.messages && JSON.stringify(provider.requests[0].body.messages),
      JSON.stringify([{ role: "user", content: "Write a headline for live token streaming" }]),
    );

    const screenshotDir = path.join(process.cwd(), "test-results", "screenshots");
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, "ai-task.png"), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    return { taskId, partial: partial.length };
  } finally {
    await browser.close();
    await prisma.$disconnect();
    await worker.stop();
    await provider.close();
  }
}
