// /demo: the public "book a demo" page (no sign-in), the demo-booking module's. 404 when the
// active product does not enable the module.
import type { Metadata } from "next";
import { DemoBookingPage } from "@plinth/demo-booking/pages";
import { requireModule } from "~/server/modules.ts";

export const metadata: Metadata = { title: "Book a demo" };

export default function DemoPage() {
  requireModule("demo-booking");
  return <DemoBookingPage />;
}
