export { ProjectsLoading as default } from "@plinth/projects/pages";
