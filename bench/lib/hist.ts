/** HDR histograms of latencies in microseconds, mergeable across generator processes. */
import * as hdr from "hdr-histogram-js";

export type Histogram = hdr.Histogram;

/** 1 µs to 120 s at 3 significant digits. */
export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(Math.min(Math.max(us, 1), 120_000_000));
}

export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function merge(encoded: string[]): Histogram {
  const total = newHistogram();
  for (const e of encoded) {
    if (e) total.add(hdr.decodeFromCompressedBase64(e, 32));
  }
  return total;
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Percentiles in milliseconds, rounded to 0.01 ms. */
export function percentiles(h: Histogram): Percentiles {
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}
