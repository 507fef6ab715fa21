#include <flite/flite.h>
#include <flite/cst_cg.h>

// The voice libraries ship no header: their registration functions (each returns the voice, built once).
cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_slt(const char *voxdir);

// utt_feat_val is a macro; Swift sees this function instead.
static inline const cst_val *tunesmith_utt_feat_val(const cst_utterance *u, const char *name) {
    return feat_val(u->features, name);
}

static int tunesmith_stop_streaming(const cst_wave *w, int start, int size, int last, cst_audio_streaming_info *asi) {
    (void)w; (void)start; (void)size; (void)last; (void)asi;
    return CST_AUDIO_STREAM_STOP;
}

// Makes a clustergen voice stop right after it predicted its parameter tracks: its own waveform synthesis (MLSA
// at 16 kHz) is interrupted at the first frame, because Tunesmith sings from the parameters instead.
static inline void tunesmith_skip_waveform(cst_utterance *u) {
    cst_audio_streaming_info *asi = new_audio_streaming_info();
    asi->min_buffsize = 0;
    asi->asc = tunesmith_stop_streaming;
    feat_set(u->features, "streaming_info", audio_streaming_info_val(asi));
}
