/**
 * Reference model of the desk's learned average handle time: an exponentially weighted moving
 * average, alpha weighting the newest sample, rounded down to whole milliseconds. The live rule
 * is in end-session-3.lua; test/integration/rule-twins.test.ts holds it to this model.
 */
export function nextAverage(previous: number, sample: number, alpha = 0.2): number {
  return Math.floor(previous + alpha * (sample - previous));
}
