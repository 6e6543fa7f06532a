export { default } from "@plinth/config/eslint";
