// Tailwind CSS v4 through PostCSS (Next.js picks this file up). The tokens, the dark variant
// and the content sources live in @plinth/ui/theme.css.
export default { plugins: { "@tailwindcss/postcss": {} } };
