// Every procedure input schema of the product, by name, importable by browser code
// (`@plinth/product/contracts`): the web app's forms validate with exactly what the server
// validates with. zod mini and the input rule only — nothing server-side.
export * from "@plinth/platform/contracts";
export * from "@plinth/ai-tasks/contract";
export * from "@plinth/projects/contract";
export * from "@plinth/api-catalog/contract";
export * from "@plinth/teams/contract";
export * from "@plinth/voice-training/contract";
export * from "@plinth/test-automation/contract";
export * from "@plinth/hosting/contract";
export * from "@plinth/demo-booking/contract";
