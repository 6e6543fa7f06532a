// The voice training module's pages, mounted by the web app's route files under
// /o/[slug]/practice (each a one-line re-export through apps/web/src/server/module-page.tsx).
export { PracticePage } from "./practice-page.tsx";
export { PracticeProgressPage } from "./progress-page.tsx";
export { PracticeSessionPage } from "./session-page.tsx";
export { PracticeSettingsPage } from "./settings-page.tsx";
