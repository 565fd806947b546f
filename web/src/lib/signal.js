// A tiny observable value, and a Preact hook that re-renders on change.
import { useEffect, useState } from "preact/hooks";

export function signal(initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(next) { value = next; for (const listener of [...listeners]) listener(value); },
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };
}

export function useSignal(sig) {
  const [, setTick] = useState(0);
  useEffect(() => sig.subscribe(() => setTick((n) => n + 1)), [sig]);
  return sig.get();
}
