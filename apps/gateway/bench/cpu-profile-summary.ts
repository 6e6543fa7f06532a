// Where a V8 CPU profile's time goes (the proxy bench's BENCH_CPU_PROF output): self time by
// function and by area (node:http, undici, the gateway, zod, …), largest first.
//   npx tsx apps/gateway/bench/cpu-profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArgument] = process.argv.slice(2);
if (!file) throw new Error("usage: cpu-profile-summary.ts <file.cpuprofile> [top]");
const top = Number(topArgument ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

function labelOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "");
  return `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
}

/** The part of the stack a frame belongs to, from its script's path. */
function areaOf(url: string, name: string): string {
  if (name === "(idle)") return "idle";
  if (name === "(garbage collector)") return "gc";
  if (name === "(program)") return "program (native, outside JS)";
  if (url.includes("/undici/")) return "undici";
  if (url.startsWith("node:_http") || url.startsWith("node:http")) return "node:http";
  if (
    url.startsWith("node:net") ||
    url.startsWith("node:stream") ||
    url.includes("internal/streams")
  )
    return "node streams/net";
  if (url.startsWith("node:")) return "node (other)";
  if (url.includes("/hono/") || url.includes("@hono")) return "hono";
  if (url.includes("/zod/")) return "zod";
  if (url.includes("/prom-client/")) return "prom-client";
  if (url.includes("/apps/gateway/")) return "gateway";
  if (url.includes("/modules/api-catalog/")) return "api-catalog";
  if (url.includes("/packages/")) return "packages";
  if (url === "") return "native/builtins";
  return "other";
}

const selfByFunction = new Map<string, number>();
const selfByArea = new Map<string, number>();
const totalByFunction = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[index] ?? 0;
  if (!node) return;
  const label = labelOf(node);
  selfByFunction.set(label, (selfByFunction.get(label) ?? 0) + delta);
  // Inclusive: every function on the sample's stack, once.
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at);
    if (frame) onStack.add(labelOf(frame));
  }
  for (const frame of onStack)
    totalByFunction.set(frame, (totalByFunction.get(frame) ?? 0) + delta);
  const area = areaOf(node.callFrame.url, node.callFrame.functionName);
  selfByArea.set(area, (selfByArea.get(area) ?? 0) + delta);
  total += delta;
});

const idle = selfByArea.get("idle") ?? 0;
const busy = total - idle;
const percent = (micros: number) => ((100 * micros) / busy).toFixed(1).padStart(5);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
console.log("self time by area (% of busy):");
for (const [area, micros] of [...selfByArea].sort((a, b) => b[1] - a[1])) {
  if (area !== "idle") console.log(`  ${percent(micros)}%  ${area}`);
}
console.log(`top ${top} functions by self time (% of busy):`);
for (const [label, micros] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top + 1)) {
  if (!label.startsWith("(idle)")) console.log(`  ${percent(micros)}%  ${label}`);
}
const ROOTS = /^\((root|program|idle|garbage collector)\)/;
console.log(`top ${top} functions by total time, callees included (% of busy):`);
for (const [label, micros] of [...totalByFunction].sort((a, b) => b[1] - a[1]).slice(0, top + 4)) {
  if (!ROOTS.test(label)) console.log(`  ${percent(micros)}%  ${label}`);
}
