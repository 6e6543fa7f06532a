"use client";
// Below 768 px the sidebar lives in a sheet opened from the top bar's menu button; it closes
// itself when a link in it is followed (at the click: the next page's skeleton shows behind it
// while the page loads) and when the path changes.
import { Menu } from "lucide-react";
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { Button } from "@plinth/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from "@plinth/ui/sheet";

export function MobileNav({ children, title }: { children: ReactNode; title: string }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <Menu aria-hidden="true" />
        </Button>
      </SheetTrigger>
      <SheetContent
        side="left"
        className="bg-sidebar p-0 text-sidebar-foreground"
        onClick={(event) => {
          if (event.target instanceof Element && event.target.closest("a[href]")) setOpen(false);
        }}
      >
        <SheetTitle className="sr-only">{title}</SheetTitle>
        <SheetDescription className="sr-only">Pages and organization switcher</SheetDescription>
        {children}
      </SheetContent>
    </Sheet>
  );
}
