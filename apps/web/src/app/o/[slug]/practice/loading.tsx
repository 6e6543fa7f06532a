export { PracticeLoading as default } from "@plinth/voice-training/pages";
