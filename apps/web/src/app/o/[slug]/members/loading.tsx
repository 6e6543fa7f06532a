export { MembersLoading as default } from "@plinth/teams/pages";
