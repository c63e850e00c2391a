/**
 * Action-Unit proxies from MediaPipe FaceLandmarker's 52 ARKit-style blendshapes.
 *
 * Source of the correspondence: Apple ARKit `ARFaceAnchor.BlendShapeLocation` documentation, which describes each
 * coefficient by the facial movement it captures, and the ARKit→FACS translation sheet (M. Ozel, "ARKit to FACS
 * cheat sheet", 2019) that pairs each with its FACS Action Unit (Ekman & Friesen, FACS 1978 / 2002 manual).
 * Left/right pairs are averaged (FACS codes bilateral intensity). Values stay in [0, 1]; they are proxies for
 * AU intensity, not certified FACS codes.
 *
 * Known limit (measured): tasks-vision 1.1.0's face_landmarker.task keeps cheekSquintLeft/Right at ≤ 2e-5 on all
 * 5,119 images of our face sets (scripts/extract-faces.ts), so AU6 is effectively always 0. The reasoner therefore
 * leans on AU12 for happiness, and the fusion model learns from all 52 blendshapes (eyeSquint carries part of the
 * Duchenne signal there).
 *
 * | AU    | FACS name                  | blendshapes                                   |
 * |-------|----------------------------|-----------------------------------------------|
 * | AU1   | inner brow raiser          | browInnerUp                                   |
 * | AU2   | outer brow raiser          | browOuterUpLeft/Right                         |
 * | AU4   | brow lowerer               | browDownLeft/Right                            |
 * | AU5   | upper lid raiser           | eyeWideLeft/Right                             |
 * | AU6   | cheek raiser               | cheekSquintLeft/Right                         |
 * | AU7   | lid tightener              | eyeSquintLeft/Right                           |
 * | AU9   | nose wrinkler              | noseSneerLeft/Right                           |
 * | AU10  | upper lip raiser           | mouthUpperUpLeft/Right                        |
 * | AU12  | lip corner puller          | mouthSmileLeft/Right                          |
 * | AU14  | dimpler                    | mouthDimpleLeft/Right                         |
 * | AU15  | lip corner depressor       | mouthFrownLeft/Right                          |
 * | AU17  | chin raiser                | mouthShrugLower                               |
 * | AU20  | lip stretcher              | mouthStretchLeft/Right                        |
 * | AU23_24 | lip tightener / pressor  | max(mouthPressLeft/Right, mouthRollLower/Upper)|
 * | AU25  | lips part                  | max(jawOpen − mouthClose, mouthLowerDownLeft/Right) |
 * | AU26  | jaw drop                   | jawOpen                                       |
 * | AU45  | blink                      | eyeBlinkLeft/Right                            |
 */

/** The 52 blendshape names in MediaPipe FaceLandmarker's output order (index 0 is `_neutral`). */
export const BLENDSHAPE_NAMES = [
  '_neutral', 'browDownLeft', 'browDownRight', 'browInnerUp', 'browOuterUpLeft', 'browOuterUpRight',
  'cheekPuff', 'cheekSquintLeft', 'cheekSquintRight', 'eyeBlinkLeft', 'eyeBlinkRight', 'eyeLookDownLeft',
  'eyeLookDownRight', 'eyeLookInLeft', 'eyeLookInRight', 'eyeLookOutLeft', 'eyeLookOutRight', 'eyeLookUpLeft',
  'eyeLookUpRight', 'eyeSquintLeft', 'eyeSquintRight', 'eyeWideLeft', 'eyeWideRight', 'jawForward', 'jawLeft',
  'jawOpen', 'jawRight', 'mouthClose', 'mouthDimpleLeft', 'mouthDimpleRight', 'mouthFrownLeft', 'mouthFrownRight',
  'mouthFunnel', 'mouthLeft', 'mouthLowerDownLeft', 'mouthLowerDownRight', 'mouthPressLeft', 'mouthPressRight',
  'mouthPucker', 'mouthRight', 'mouthRollLower', 'mouthRollUpper', 'mouthShrugLower', 'mouthShrugUpper',
  'mouthSmileLeft', 'mouthSmileRight', 'mouthStretchLeft', 'mouthStretchRight', 'mouthUpperUpLeft',
  'mouthUpperUpRight', 'noseSneerLeft', 'noseSneerRight',
] as const;
export type BlendshapeName = (typeof BLENDSHAPE_NAMES)[number];

/** AU proxy names, in the order of the AU vector used everywhere (reasoner, fusion features, UI bars). */
export const AU_NAMES = [
  'AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU9', 'AU10', 'AU12', 'AU14', 'AU15', 'AU17', 'AU20', 'AU23_24',
  'AU25', 'AU26', 'AU45',
] as const;
export type AuName = (typeof AU_NAMES)[number];

/** Human-readable FACS names for display and rationales. */
export const AU_DESCRIPTIONS: Record<AuName, string> = {
  AU1: 'inner brow raiser', AU2: 'outer brow raiser', AU4: 'brow lowerer', AU5: 'upper lid raiser',
  AU6: 'cheek raiser', AU7: 'lid tightener', AU9: 'nose wrinkler', AU10: 'upper lip raiser',
  AU12: 'lip corner puller', AU14: 'dimpler', AU15: 'lip corner depressor', AU17: 'chin raiser',
  AU20: 'lip stretcher', AU23_24: 'lip tightener/pressor', AU25: 'lips part', AU26: 'jaw drop', AU45: 'blink',
};

const INDEX = new Map<string, number>(BLENDSHAPE_NAMES.map((n, i) => [n, i]));

function pick(scores: ArrayLike<number>, name: BlendshapeName): number {
  const v = scores[INDEX.get(name)!];
  return Number.isFinite(v) ? v : 0;
}
function pair(scores: ArrayLike<number>, left: BlendshapeName, right: BlendshapeName): number {
  return (pick(scores, left) + pick(scores, right)) / 2;
}
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Maps one frame's 52 blendshape scores (MediaPipe order, see BLENDSHAPE_NAMES) to AU proxies in AU_NAMES order.
 * @example auProxies(scores)[AU_NAMES.indexOf('AU12')] // ≈ smile intensity
 */
export function auProxies(scores: ArrayLike<number>): Float32Array {
  if (scores.length !== BLENDSHAPE_NAMES.length) {
    throw new Error(`auProxies: expected ${BLENDSHAPE_NAMES.length} blendshape scores, got ${scores.length}`);
  }
  const s = scores;
  const out = new Float32Array(AU_NAMES.length);
  out[0] = pick(s, 'browInnerUp');
  out[1] = pair(s, 'browOuterUpLeft', 'browOuterUpRight');
  out[2] = pair(s, 'browDownLeft', 'browDownRight');
  out[3] = pair(s, 'eyeWideLeft', 'eyeWideRight');
  out[4] = pair(s, 'cheekSquintLeft', 'cheekSquintRight');
  out[5] = pair(s, 'eyeSquintLeft', 'eyeSquintRight');
  out[6] = pair(s, 'noseSneerLeft', 'noseSneerRight');
  out[7] = pair(s, 'mouthUpperUpLeft', 'mouthUpperUpRight');
  out[8] = pair(s, 'mouthSmileLeft', 'mouthSmileRight');
  out[9] = pair(s, 'mouthDimpleLeft', 'mouthDimpleRight');
  out[10] = pair(s, 'mouthFrownLeft', 'mouthFrownRight');
  out[11] = pick(s, 'mouthShrugLower');
  out[12] = pair(s, 'mouthStretchLeft', 'mouthStretchRight');
  out[13] = Math.max(pair(s, 'mouthPressLeft', 'mouthPressRight'), pair(s, 'mouthRollLower', 'mouthRollUpper'));
  out[14] = Math.max(pick(s, 'jawOpen') - pick(s, 'mouthClose'), pair(s, 'mouthLowerDownLeft', 'mouthLowerDownRight'));
  out[15] = pick(s, 'jawOpen');
  out[16] = pair(s, 'eyeBlinkLeft', 'eyeBlinkRight');
  for (let i = 0; i < out.length; i++) out[i] = clamp01(out[i]);
  return out;
}

/** Reads a named AU from a vector in AU_NAMES order. */
export function auValue(aus: ArrayLike<number>, name: AuName): number {
  return aus[AU_NAMES.indexOf(name)];
}
