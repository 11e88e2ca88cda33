/** Once per `vitest run`: the end-to-end stacks start the compiled component, so compile it first. */
import { buildComponent } from '../../scripts/lib/component-build.js';

export default function setup(): void {
  buildComponent();
}
