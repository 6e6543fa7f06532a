// The API marketplace's buyer pages, mounted by the web app's route files under /o/[slug]/apis
// (each a one-line re-export through apps/web/src/server/module-page.tsx). The operator's
// catalog pages (/admin/apis) are the operator console's, in apps/web.
export { ApisPage } from "./catalog-page.tsx";
export { ApiLogPage } from "./log-page.tsx";
export { ApiUsagePage } from "./usage-page.tsx";
