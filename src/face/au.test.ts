import { describe, expect, it } from 'vitest';
import { AU_NAMES, BLENDSHAPE_NAMES, auProxies, auValue } from './au';
import { headPoseFromMatrix } from './pose';

const shapes = (values: Partial<Record<(typeof BLENDSHAPE_NAMES)[number], number>>) =>
  Float32Array.from(BLENDSHAPE_NAMES, (n) => values[n] ?? 0);

describe('AU proxies from blendshapes', () => {
  it('has the 52 MediaPipe blendshapes and the 17 documented AUs', () => {
    expect(BLENDSHAPE_NAMES).toHaveLength(52);
    expect(new Set(BLENDSHAPE_NAMES).size).toBe(52);
    expect(AU_NAMES).toEqual(['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU9', 'AU10', 'AU12', 'AU14', 'AU15', 'AU17', 'AU20', 'AU23_24', 'AU25', 'AU26', 'AU45']);
  });

  it('averages left/right pairs (AU12 = mean of mouthSmileLeft/Right)', () => {
    const aus = auProxies(shapes({ mouthSmileLeft: 0.8, mouthSmileRight: 0.4 }));
    expect(auValue(aus, 'AU12')).toBeCloseTo(0.6, 6);
    expect(auValue(aus, 'AU6')).toBe(0);
  });

  it('maps single blendshapes and composites', () => {
    const aus = auProxies(shapes({ browInnerUp: 0.5, jawOpen: 0.7, mouthClose: 0.2, mouthPressLeft: 0.3, mouthPressRight: 0.3, mouthRollLower: 0.9, mouthRollUpper: 0.5 }));
    expect(auValue(aus, 'AU1')).toBeCloseTo(0.5, 6);
    expect(auValue(aus, 'AU26')).toBeCloseTo(0.7, 6);
    expect(auValue(aus, 'AU25')).toBeCloseTo(0.5, 6); // jawOpen − mouthClose
    expect(auValue(aus, 'AU23_24')).toBeCloseTo(0.7, 6); // max(press mean, roll mean)
  });

  it('clamps to [0, 1] and treats non-finite scores as 0', () => {
    const aus = auProxies(shapes({ browDownLeft: Number.NaN, browDownRight: 2, eyeBlinkLeft: -1 }));
    expect(auValue(aus, 'AU4')).toBe(1);
    expect(auValue(aus, 'AU45')).toBe(0);
    for (const v of aus) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects a vector of the wrong length with an exact message', () => {
    expect(() => auProxies(new Float32Array(51))).toThrow('auProxies: expected 52 blendshape scores, got 51');
  });
});

describe('head pose', () => {
  it('is zero for the identity matrix and recovers a yaw rotation', () => {
    const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const p0 = headPoseFromMatrix(identity);
    expect(p0.yaw).toBeCloseTo(0);
    expect(p0.pitch).toBeCloseTo(0);
    expect(p0.roll).toBeCloseTo(0);
    const a = (30 * Math.PI) / 180;
    // Ry(30°) in column-major order.
    const ry = [Math.cos(a), 0, -Math.sin(a), 0, 0, 1, 0, 0, Math.sin(a), 0, Math.cos(a), 0, 0, 0, 0, 1];
    expect(headPoseFromMatrix(ry).yaw).toBeCloseTo(30, 4);
  });
});
