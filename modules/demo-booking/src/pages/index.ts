// The demo-booking module's page, mounted by the web app's public route file (apps/web/src/app/
// demo/page.tsx: no sign-in, no organization).
export { DemoBookingPage } from "./demo-page.tsx";
