export * from "./writer.ts";
export * from "./histogram.ts";
export * from "./rollup.ts";
export * from "./partitions.ts";
export * from "./uuid7.ts";
