"use client";
// The tRPC React hooks of a router: the web app's (its whole product router) and each module's
// pages' (the module's own slice, `<module>/trpc`'s `…Api` type), e.g.
// `createApiHooks<ProjectsApi>()`. All of them read the one client and query cache the app's
// provider sets up (@trpc/react-query's shared context): a module's page calls
// `api.project.list.useQuery(…)` without knowing the app.
export { createTRPCReact as createApiHooks } from "@trpc/react-query";
