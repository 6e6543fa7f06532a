import type { Metadata } from "next";
import { ApisPage } from "@plinth/api-catalog/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "APIs" };
export default modulePage("api-catalog", ApisPage);
