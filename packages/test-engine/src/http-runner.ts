// HTTP API tests on undici: one keep-alive Agent shared by every test of the process, a
// deadline per step inside the test's deadline, a cap on every response body, and an
// exchange record per step that is masked before it leaves.
import { performance } from "node:perf_hooks";
import { Agent, request, type Dispatcher } from "undici";
import { ResponseTooLargeError, StepTimeoutError } from "./errors.ts";
import { deadline } from "./deadline.ts";
import { evaluateAssertions, extractValues, type HttpAnswer } from "./http-assertions.ts";
import type { Masker } from "./mask.ts";
import type { AssertionResult, HttpExchange, StepResult } from "./results.ts";
import {
  initialVariables,
  resolveUrl,
  skippedSteps,
  stepErrorMessage,
  withBuiltins,
  type AttemptContext,
  type AttemptOutcome,
} from "./runner.ts";
import { LIMITS, type HttpStep, type HttpTest } from "./schema.ts";
import { renderJson, renderTemplate } from "./template.ts";
import { truncate } from "./values.ts";

export interface HttpRunnerOptions {
  /** Defaults to an Agent owned (and closed) by the runner. */
  dispatcher?: Dispatcher;
  /** Bodies larger than this end the step as an error. Default 5 MiB. */
  maxResponseBytes?: number;
  /** Request and response bodies in the exchange record are cut here. Default 16 KiB. */
  exchangeBodyChars?: number;
  /** Connections per origin of the owned Agent. Default 64. */
  connectionsPerOrigin?: number;
}

export interface HttpRunner {
  runAttempt(test: HttpTest, context: AttemptContext): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

export function describeHttpStep(step: HttpStep): string {
  return step.name ?? `${step.method} ${step.url}`;
}

export function createHttpRunner(options: HttpRunnerOptions = {}): HttpRunner {
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connections: options.connectionsPerOrigin ?? 64,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
    });
  const maxResponseBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;
  const exchangeBodyChars = options.exchangeBodyChars ?? 16 * 1024;

  const shownBody = (text: string, masker: Masker) =>
    truncate(masker.text(text), exchangeBodyChars);

  async function runStep(
    step: HttpStep,
    index: number,
    variables: Record<string, string>,
    context: AttemptContext,
  ): Promise<StepResult> {
    const { environment, masker } = context;
    const started = performance.now();
    const result: StepResult = {
      index,
      name: masker.text(describeHttpStep(step)),
      status: "passed",
      durationMs: 0,
      assertions: [],
    };
    const stepTimeoutMs = step.timeoutMs ?? LIMITS.stepTimeoutMs.default;
    const guard = deadline(
      context.signal,
      stepTimeoutMs,
      () => new StepTimeoutError(stepTimeoutMs),
    );
    try {
      const scope = withBuiltins(variables, environment);
      const url = resolveUrl(renderTemplate(step.url, scope), environment.baseUrl);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(step.headers)) {
        headers[name.toLowerCase()] = renderTemplate(value, scope);
      }
      let body: string | undefined;
      if (step.json !== undefined) {
        body = JSON.stringify(renderJson(step.json, scope));
        headers["content-type"] ??= "application/json";
      } else if (step.body !== undefined) {
        body = renderTemplate(step.body, scope);
      }
      const exchange: HttpExchange = {
        request: { method: step.method, url: masker.text(url), headers: masker.headers(headers) },
      };
      if (body !== undefined) {
        const shown = shownBody(body, masker);
        exchange.request.body = shown.text;
        exchange.request.bodyTruncated = shown.truncated;
      }
      result.exchange = exchange;
      context.log(`→ ${step.method} ${url}`);

      const sent = performance.now();
      const response = await request(url, {
        method: step.method,
        headers,
        body,
        dispatcher,
        signal: guard.signal,
        // undici's own timers stay as a backstop; the deadline above decides.
        headersTimeout: stepTimeoutMs + 1_000,
        bodyTimeout: stepTimeoutMs + 1_000,
      });
      const bodyText = await readCapped(response.body, maxResponseBytes);
      const timeMs = performance.now() - sent;
      const answer: HttpAnswer = {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        bodyText: bodyText.text,
        timeMs,
      };
      const shown = shownBody(answer.bodyText, masker);
      exchange.response = {
        status: answer.status,
        headers: masker.headers(answer.headers),
        body: shown.text,
        bodyTruncated: shown.truncated,
        bodyBytes: bodyText.bytes,
        timeMs: Math.round(timeMs * 100) / 100,
      };
      context.log(`← ${answer.status} in ${Math.round(timeMs)} ms`);

      const assertions: AssertionResult[] = evaluateAssertions(step.assertions, answer, scope);
      const extracted: string[] = [];
      for (const outcome of extractValues(step.extract, answer)) {
        if (outcome.ok) {
          variables[outcome.name] = outcome.value;
          extracted.push(outcome.name);
        } else {
          assertions.push(outcome.failure);
        }
      }
      result.assertions = assertions.map((a) => ({
        ...a,
        description: masker.text(a.description),
        expected: truncate(masker.text(a.expected), 2_000).text,
        actual: truncate(masker.text(a.actual), 2_000).text,
      }));
      if (extracted.length > 0) result.extracted = extracted;
      if (result.assertions.some((a) => !a.passed)) result.status = "failed";
    } catch (error) {
      result.status = "error";
      result.error = masker.text(stepErrorMessage(error, [guard.signal]));
      context.log(`✗ ${result.error}`);
    } finally {
      guard.clear();
      result.durationMs = performance.now() - started;
    }
    return result;
  }

  return {
    async runAttempt(test, context) {
      const variables = initialVariables(context.environment);
      const steps: StepResult[] = [];
      for (const [index, step] of test.steps.entries()) {
        if (context.signal.aborted) break;
        const result = await runStep(step, index, variables, context);
        steps.push(result);
        if (result.status !== "passed") break;
      }
      steps.push(
        ...skippedSteps(test.steps, steps.length, (s) => context.masker.text(describeHttpStep(s))),
      );
      return { steps, artifacts: [] };
    },
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown },
  limit: number,
): Promise<{ text: string; bytes: number }> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > limit) {
      const error = new ResponseTooLargeError(limit);
      body.destroy(error);
      throw error;
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes };
}
