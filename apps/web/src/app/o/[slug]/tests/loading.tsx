export { TestsLoading as default } from "@plinth/test-automation/pages";
