"use client";
// Sorting and paging rows in the browser, for tables whose rows are all loaded (projects,
// members, the operator's lists). Server-paginated lists (the audit log) sort on the server.
import { useMemo, useState } from "react";
import type { SortDirection } from "../components/table.tsx";

export type SortValue = string | number | Date | null | undefined;

export function useSortedRows<Row, Key extends string>(
  rows: readonly Row[],
  columns: Record<Key, (row: Row) => SortValue>,
  initial: { key: NoInfer<Key>; direction: SortDirection },
) {
  const [sort, setSort] = useState(initial);
  const sorted = useMemo(() => {
    const value = columns[sort.key];
    const factor = sort.direction === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => factor * compare(value(a), value(b)));
    // `columns` is a literal of the caller: a new object every render, the same meaning.
  }, [rows, sort]);
  return {
    rows: sorted,
    /** Props for <SortableHead> of column `key`. */
    headProps: (key: Key) => ({
      direction: sort.key === key ? sort.direction : null,
      onSort: () =>
        setSort((current) =>
          current.key === key
            ? { key, direction: current.direction === "asc" ? "desc" : "asc" }
            : { key, direction: "asc" },
        ),
    }),
  };
}

function compare(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en", { sensitivity: "base", numeric: true });
}

/** One page of `rows` (1-based), and how many pages there are. */
export function usePagedRows<Row>(rows: readonly Row[], pageSize: number) {
  const [page, setPage] = useState(1);
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(page, pageCount);
  return {
    rows: rows.slice((current - 1) * pageSize, current * pageSize),
    page: current,
    pageCount,
    setPage,
  };
}
