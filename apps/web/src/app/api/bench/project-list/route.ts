// Benchmark baseline for scripts/bench.ts: the same query project.list runs, with no
// session, membership, entitlements or RLS. 404 unless PLINTH_BENCH=1.
import { z } from "zod";
import { db } from "~/server/db.ts";
import { benchEnabled } from "./env.ts";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  if (!benchEnabled()) return new Response("Not found", { status: 404 });
  const organizationId = z
    .string()
    .min(1)
    .parse(new URL(request.url).searchParams.get("organizationId"));
  const projects = await db().system.project.findMany({
    where: { organizationId, status: "ACTIVE" },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, status: true, createdAt: true, archivedAt: true },
  });
  return Response.json({ result: { data: projects } });
}
