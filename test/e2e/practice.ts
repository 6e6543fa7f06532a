// Voice practice in the browser with Chromium's fake microphone: the demo Hybrid owner starts a
// session of the seeded scenario, the microphone plays an espeak-ng recording of a sales
// opener (--use-file-for-fake-audio-capture), the transcript shows what PocketSphinx heard
// (streamed over the gateway's practice socket), the session is ended, the page polls while the
// worker finishes the transcript and writes the feedback (voiceTraining.finalizeTranscript,
// then voiceTraining.analyzeSession), and the feedback (labelled as the offline demo provider)
// appears. The gateway runs as its own process, and so does a real worker
// (./worker-process.ts) for the after-end jobs.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { chromium } from "playwright-core";
import { createEspeakSynthesizer, encodeWav } from "@plinth/speech";
import { startGatewayProcess } from "../../apps/gateway/test/processes.ts";
import { DEMO_PASSWORD } from "../../prisma/seed.ts";
import { accessibility, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";
import { startWorkerProcess } from "./worker-process.ts";

const SCRIPT =
  "Thanks for taking my call today. I wanted to ask about your budget for the new software.";

export async function runPractice(
  baseUrl: string,
  setup: { databaseUrl: string; gatewayPort: number },
) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "plinth-e2e-voice-"));
  const speech = await createEspeakSynthesizer({ wordsPerMinute: 140, wordGap: 8 }).synthesize(
    SCRIPT,
  );
  // Room tone around the speech (a microphone never sends digital zeros).
  const tone = Buffer.alloc(32 * 1_500);
  for (let offset = 0, state = 7; offset < tone.length; offset += 2) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    tone.writeInt16LE(((state >>> 16) % 21) - 10, offset);
  }
  const wav = path.join(dir, "opener.wav");
  await writeFile(wav, encodeWav(Buffer.concat([tone, speech.pcm, tone])));
  const gateway = await startGatewayProcess({
    DATABASE_URL: setup.databaseUrl,
    GATEWAY_PORT: String(setup.gatewayPort),
  });
  // The after-end jobs (the transcript's tail, the feedback) run here; nothing else needs it.
  const worker = await startWorkerProcess(setup.databaseUrl);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      ...["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      ...["--disable-component-update", "--disable-sync", "--no-first-run"],
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${wav}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  try {
    const errors: string[] = [];
    const page = await newPage(browser, baseUrl, errors);
    await page.context().grantPermissions(["microphone"], { origin: baseUrl });
    await page.goto("/sign-in");
    await signInWithPassword(page, "hybrid@demo.plinth.dev", DEMO_PASSWORD);
    await page.waitForURL(/\/o\/[^/]+\//, { timeout: 30_000 });
    const slug = /\/o\/([^/]+)\//.exec(page.url())?.[1];
    await page.goto(`/o/${slug}/practice`);
    // The consent step before the first session: tick, agree; then Start is enabled.
    await page
      .getByRole("checkbox", {
        name: "I agree that my practice sessions are recorded, transcribed and analysed.",
      })
      .click();
    await page.getByRole("button", { name: "Agree and continue" }).click();
    await page.getByText("Before your first session").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Start practice: Cold call: a sceptical CFO" }).click();
    await page.waitForURL(/\/practice\/session\//, { timeout: 30_000 });
    await page.getByRole("button", { name: "Start speaking" }).click();
    await page.getByText(/Listening/).waitFor({ timeout: 30_000 });
    // What PocketSphinx heard from the fake microphone, then the prospect's answer.
    const transcript = page.getByRole("list", { name: "Transcript" });
    await transcript
      .getByText("You", { exact: true })
      .first()
      .waitFor({ timeout: 90_000 })
      .catch(async (error: unknown) => {
        const db = new pg.Client({ connectionString: setup.databaseUrl });
        await db.connect();
        const { rows } = await db.query(
          "SELECT status, audio_ms, (SELECT count(*) FROM practice_transcript_segments t WHERE t.session_id = s.id) AS segments FROM practice_sessions s ORDER BY created_at DESC LIMIT 1",
        );
        await db.end();
        const notices = await page.locator("main").innerText();
        throw new Error(
          `no transcript (session: ${JSON.stringify(rows[0])}; page: ${notices.slice(0, 400)}; errors: ${errors.join(" | ")}): ${String(error)}`,
        );
      });
    await transcript.getByText("Prospect", { exact: true }).first().waitFor({ timeout: 60_000 });
    const heard = (await transcript.innerText()).toLowerCase();
    const keyWords = ["call", "today", "ask", "budget", "software"].filter((w) =>
      heard.includes(w),
    );
    console.log(`    heard key words: ${keyWords.join(", ") || "(none)"}`);
    await page.getByRole("button", { name: "End session" }).click();
    // The worker's jobs: the page polls practice.get until the transcript and feedback are READY.
    await page.getByText("Offline demo provider: no model was called").waitFor({ timeout: 90_000 });
    await page.getByRole("heading", { name: /Feedback/ }).waitFor();
    await page
      .getByText(/Transcribing…|Analysing…/)
      .first()
      .waitFor({ state: "detached" });
    const db = new pg.Client({ connectionString: setup.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ transcript_status: string; feedback_status: string }>(
      "SELECT transcript_status, feedback_status FROM practice_sessions ORDER BY created_at DESC LIMIT 1",
    );
    await db.end();
    if (rows[0]?.transcript_status !== "READY" || rows[0].feedback_status !== "READY") {
      throw new Error(`the after-end jobs did not finish: ${JSON.stringify(rows[0])}`);
    }
    await page.screenshot({
      path: "test-results/screenshots/practice-session.png",
      fullPage: true,
    });
    if (errors.length > 0) throw new Error(`page errors:\n${errors.join("\n")}`);
  } finally {
    // This browser is launched here (fake microphone flags), not by launchBrowser(): let the
    // accessibility audits of its pages finish before closing it.
    await accessibility.settle();
    await browser.close();
    await worker.stop();
    await gateway.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
