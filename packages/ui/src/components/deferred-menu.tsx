"use client";
// Radix's menu brings its popper, focus scope, roving focus and scroll lock: ~25 KB gzip that
// no first paint needs, on every page (the top bar's theme and account menus). A deferred menu
// renders a look-alike trigger at once and loads the real menu after the page's `load`, when
// idle, or as soon as a pointer or focus reaches the trigger. A click or key press before it
// has arrived opens the menu the moment it does, with focus carried over.
import {
  type ComponentType,
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useState,
} from "react";
import { afterLoadWhenIdle } from "../lib/after-load.ts";

/** What the loaded menu is mounted with: open at once (the user already asked), take focus. */
export interface DeferredMenuMount {
  defaultOpen: boolean;
  autoFocus: boolean;
}

/** What a placeholder spreads on its trigger button so that using it asks for the real menu. */
export interface DeferredTriggerProps {
  "aria-haspopup": "menu";
  "aria-expanded": false;
  onPointerEnter: () => void;
  onFocus: () => void;
  onBlur: () => void;
  onPointerDown: (event: PointerEvent) => void;
  onClick: () => void;
  onKeyDown: (event: KeyboardEvent) => void;
}

type Loaded<P> = ComponentType<P & DeferredMenuMount>;

export function deferredMenu<P extends object>(
  load: () => Promise<{ default: Loaded<P> }>,
  Placeholder: ComponentType<P & { trigger: DeferredTriggerProps }>,
): ComponentType<P> {
  let loaded: Loaded<P> | null = null;
  let loading: Promise<Loaded<P>> | null = null;
  const fetchMenu = (): Promise<Loaded<P>> =>
    (loading ??= load().then(
      (module) => (loaded = module.default),
      (error: unknown) => {
        loading = null; // a failed chunk load may succeed on the next intent
        throw error;
      },
    ));

  function DeferredMenu(props: P) {
    const [Menu, setMenu] = useState<Loaded<P> | null>(() => loaded);
    const [openRequested, setOpenRequested] = useState(false);
    const [focused, setFocused] = useState(false);
    const request = useCallback(() => {
      fetchMenu().then(
        (component) => setMenu(() => component),
        () => setOpenRequested(false),
      );
    }, []);
    useEffect(() => (Menu ? undefined : afterLoadWhenIdle(request)), [Menu, request]);

    if (Menu) return <Menu {...props} defaultOpen={openRequested} autoFocus={focused} />;
    const open = () => {
      setOpenRequested(true);
      request();
    };
    const trigger: DeferredTriggerProps = {
      "aria-haspopup": "menu",
      "aria-expanded": false,
      onPointerEnter: request,
      onFocus: () => {
        setFocused(true);
        request();
      },
      onBlur: () => setFocused(false),
      // Radix opens its menu on pointer down: so does this, in case the real menu replaces
      // the placeholder between the press and the release (the release would then be lost).
      onPointerDown: (event) => {
        if (event.button === 0 && !event.ctrlKey) open();
      },
      onClick: open, // keyboard (Enter, Space) and assistive technology
      onKeyDown: (event) => {
        if (event.key !== "ArrowDown") return; // Enter and Space arrive as a click
        event.preventDefault();
        open();
      },
    };
    return <Placeholder {...props} trigger={trigger} />;
  }
  return DeferredMenu;
}
