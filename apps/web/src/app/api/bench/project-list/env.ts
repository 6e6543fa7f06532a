import { z } from "zod";

/** The bare benchmark route exists only when PLINTH_BENCH=1 (scripts/bench.ts sets it). */
export const benchEnabled = () => z.literal("1").safeParse(process.env.PLINTH_BENCH).success;
