import { computed, nextTick, onMounted, onUnmounted, ref, type ComputedRef, type Ref } from 'vue';
import { visibleRange } from './columns';

/**
 * The scrolling half of a virtual list with a fixed row height: where the user is (read once a frame),
 * how tall the view is (a ResizeObserver, never a synchronous layout read), and which slice of the
 * items is in view. The table renders only that slice inside a sizer of the full height.
 */
export function useVirtualScroll(count: ComputedRef<number>, rowHeight: number) {
  const scroller: Ref<HTMLElement | null> = ref(null);
  const scrollTop = ref(0);
  // Until the ResizeObserver reports, guess from the window as the CSS height does (reading
  // clientHeight during mount would force a synchronous layout of the whole page).
  const viewport = ref(Math.max(200, window.innerHeight - 300));
  const range = computed(() => visibleRange(scrollTop.value, viewport.value, rowHeight, count.value));

  function scrollTo(top: number): void {
    scrollTop.value = top;
    if (scroller.value) scroller.value.scrollTop = top;
  }
  const toTop = () => scrollTo(0);

  /** Brings item `index` into view a third down the list; `then` runs once it is rendered. */
  function reveal(index: number, then: (el: HTMLElement) => void): void {
    scrollTo(Math.max(0, index * rowHeight - viewport.value / 3));
    void nextTick(() => scroller.value && then(scroller.value));
  }

  let frame = 0;
  function onScroll(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      scrollTop.value = scroller.value?.scrollTop ?? 0;
    });
  }

  let observer: ResizeObserver | null = null;
  onMounted(() => {
    const el = scroller.value;
    if (!el) return;
    observer = new ResizeObserver(([entry]) => entry && (viewport.value = entry.contentRect.height));
    observer.observe(el);
  });
  onUnmounted(() => {
    observer?.disconnect();
    if (frame) cancelAnimationFrame(frame);
  });

  return { scroller, scrollTop, range, onScroll, toTop, reveal };
}
