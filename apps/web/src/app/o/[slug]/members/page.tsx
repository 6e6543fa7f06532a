import type { Metadata } from "next";
import { MembersPage } from "@plinth/teams/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Members" };
export default modulePage("teams", MembersPage);
