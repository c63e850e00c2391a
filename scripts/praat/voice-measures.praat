# Reference measures for scripts/eval-prosody.ts, run headless: praat --run voice-measures.praat <list> <outDir>
# <list>: one clip per line, "<path>\t<pitch floor Hz>\t<pitch ceiling Hz>\t<id>".
# Writes <outDir>/<id>.txt: a header line with clip-level measures, then "time f0" per pitch frame (0 = unvoiced).
# Settings are Praat's standard ones (Praat manual: "Sound: To Pitch (ac)...", "Voice 2. Jitter",
# "Voice 3. Shimmer", "Sound: To Harmonicity (ac)..."), with a 10 ms time step.
form Voice measures
  sentence List
  sentence OutDir
endform

lines = Read Strings from raw text file: list$
n = Get number of strings
for i to n
  selectObject: lines
  line$ = Get string: i
  if length (line$) > 0
    @parse: line$
    sound = Read from file: parse.path$
    # Mono: RAVDESS is mono already; convert anyway so stereo test files behave.
    nch = Get number of channels
    if nch > 1
      mono = Convert to mono
      removeObject: sound
      sound = mono
    endif
    pitch = To Pitch (ac): 0.01, parse.floor, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, parse.ceiling
    nFrames = Get number of frames
    t1 = Get time from frame number: 1
    selectObject: sound, pitch
    pulses = To PointProcess (cc)
    jitter = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
    selectObject: sound, pulses
    shimmer = Get shimmer (local_dB): 0, 0, 0.0001, 0.02, 1.3, 1.6
    selectObject: sound
    harmonicity = To Harmonicity (ac): 0.01, parse.floor, 0.1, 4.5
    hnr = Get mean: 0, 0
    out$ = outDir$ + "/" + parse.id$ + ".txt"
    text$ = "nFrames=" + string$ (nFrames) + " t1=" + fixed$ (t1, 6) + " jitter=" + fixed$ (jitter, 6) + " shimmerDb=" + fixed$ (shimmer, 6) + " hnrDb=" + fixed$ (hnr, 4) + newline$
    selectObject: pitch
    for f to nFrames
      t = Get time from frame number: f
      f0 = Get value in frame: f, "Hertz"
      if f0 = undefined
        f0 = 0
      endif
      text$ = text$ + fixed$ (t, 6) + " " + fixed$ (f0, 4) + newline$
    endfor
    writeFile: out$, text$
    removeObject: sound, pitch, pulses, harmonicity
  endif
endfor
removeObject: lines

procedure parse: .line$
  .tab1 = index (.line$, tab$)
  .path$ = left$ (.line$, .tab1 - 1)
  .rest$ = mid$ (.line$, .tab1 + 1, 10000)
  .tab2 = index (.rest$, tab$)
  .floor = number (left$ (.rest$, .tab2 - 1))
  .rest$ = mid$ (.rest$, .tab2 + 1, 10000)
  .tab3 = index (.rest$, tab$)
  .ceiling = number (left$ (.rest$, .tab3 - 1))
  .id$ = mid$ (.rest$, .tab3 + 1, 10000)
endproc
