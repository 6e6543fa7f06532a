import { searchQuery as searchQueryInput, urlParameter } from "@plinth/core/inputs";
import { Search } from "lucide-react";
import { Button } from "@plinth/ui/button";
import { Input } from "@plinth/ui/input";

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
    <form role="search" className="flex w-full gap-2 sm:w-auto">
      <Input
        type="search"
        name="q"
        defaultValue={query}
        placeholder={placeholder}
        aria-label={label}
        className="sm:w-64"
      />
      <Button type="submit" variant="outline">
        <Search aria-hidden="true" /> Search
      </Button>
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
