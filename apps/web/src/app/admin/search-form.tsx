import { searchQuery as searchQueryInput, urlParameter } from "@plinth/core/inputs";

/** The operator console's GET search box (?q=…), shared by the organizations and users lists. */
export function SearchForm({
  query,
  placeholder,
  label,
}: {
  query: string | undefined;
  placeholder: string;
  label: string;
}) {
  return (
    <form role="search" className="inline-form inline-form--tight">
      <input
        className="ui-input"
        type="search"
        name="q"
        defaultValue={query}
        placeholder={placeholder}
        aria-label={label}
      />
      <button type="submit" className="ui-button ui-button--secondary">
        Search
      </button>
    </form>
  );
}

/** The `q` search parameter as the procedures accept it (cut to their bound); malformed: none. */
export function searchQuery(
  params: Record<string, string | string[] | undefined>,
): string | undefined {
  const q = typeof params.q === "string" ? params.q.slice(0, 100) : undefined;
  return urlParameter(searchQueryInput, q);
}
