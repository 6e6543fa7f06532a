// The AI tasks module's pages, mounted by the web app's route files under /o/[slug]/ai (each a
// one-line re-export through apps/web/src/server/module-page.tsx).
export { AiTasksPage } from "./ai-page.tsx";
export { AiTaskPage } from "./task-page.tsx";
export { EditTemplatePage, NewTemplatePage } from "./template-pages.tsx";
