/** Placement's options, under `placement:`. */

/** Placement's options (`[placement]` of placement.conf), under `placement:`. */
export interface PlacementConfig {
  /** Shuffle allocation candidates before the limit applies, as Placement's option does. */
  randomize_allocation_candidates: boolean;
}

export function placementDefaults(): PlacementConfig {
  return { randomize_allocation_candidates: false };
}
