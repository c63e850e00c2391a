import type { HeadPose } from '../shared/types';

/**
 * Yaw/pitch/roll in degrees from FaceLandmarker's 4×4 facial transformation matrix (column-major, as in
 * MediaPipe's face_geometry `pose_transform_matrix`). Euler decomposition R = Ry(yaw)·Rx(pitch)·Rz(roll).
 */
export function headPoseFromMatrix(m: ArrayLike<number>): HeadPose {
  // Column-major: element (row r, col c) is m[c * 4 + r].
  const r = (row: number, col: number) => m[col * 4 + row];
  const deg = 180 / Math.PI;
  const pitch = Math.asin(Math.max(-1, Math.min(1, -r(1, 2))));
  const yaw = Math.atan2(r(0, 2), r(2, 2));
  const roll = Math.atan2(r(1, 0), r(1, 1));
  return { yaw: yaw * deg, pitch: pitch * deg, roll: roll * deg };
}
