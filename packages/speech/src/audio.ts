// The one audio format of this package: 16 kHz, mono, 16-bit signed little-endian PCM (what
// PocketSphinx's en-us model expects and what browsers' AudioWorklets are easily made to send).
// WAV files in other PCM formats are converted in process (down-mixed, linearly resampled);
// anything else (compressed, 8-bit, float) is refused with a typed error.
import { AudioFormatError } from "./errors.ts";

export const SAMPLE_RATE = 16_000;
export const BYTES_PER_SAMPLE = 2;
/** Bytes of 16 kHz mono 16-bit audio per millisecond. */
export const BYTES_PER_MS = (SAMPLE_RATE * BYTES_PER_SAMPLE) / 1000;

/** Audio given to a transcriber: raw 16 kHz mono s16le PCM, or a WAV file (any PCM16 WAV). */
export type AudioInput = { pcm: Buffer } | { wav: Buffer };

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** The `data` chunk (interleaved samples). */
  data: Buffer;
}

/** Reads a RIFF/WAVE file's format and data chunks (PCM only: format 1 or WAVE_FORMAT_EXTENSIBLE). */
export function parseWav(file: Buffer): WavInfo {
  if (file.length < 12 || file.toString("ascii", 0, 4) !== "RIFF") {
    throw new AudioFormatError("not a WAV file (no RIFF header)");
  }
  if (file.toString("ascii", 8, 12) !== "WAVE") {
    throw new AudioFormatError("not a WAV file (no WAVE type)");
  }
  let format: Omit<WavInfo, "data"> | undefined;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString("ascii", offset, offset + 4);
    const declared = file.readUInt32LE(offset + 4);
    const start = offset + 8;
    // Streamed WAVs (espeak-ng --stdout, sox -t wav -) leave the data size at 0 or 0xFFFFFFFF.
    const size =
      id === "data" && (declared === 0 || declared === 0xffffffff || start + declared > file.length)
        ? file.length - start
        : declared;
    if (id === "fmt ") {
      if (size < 16) throw new AudioFormatError("WAV format chunk too short");
      const audioFormat = file.readUInt16LE(start);
      if (audioFormat !== 1 && audioFormat !== 0xfffe) {
        throw new AudioFormatError(`unsupported WAV encoding ${audioFormat} (PCM only)`);
      }
      format = {
        channels: file.readUInt16LE(start + 2),
        sampleRate: file.readUInt32LE(start + 4),
        bitsPerSample: file.readUInt16LE(start + 14),
      };
    } else if (id === "data") {
      if (!format) throw new AudioFormatError("WAV data before its format chunk");
      if (format.bitsPerSample !== 16) {
        throw new AudioFormatError(`unsupported WAV sample size ${format.bitsPerSample} (16 only)`);
      }
      if (format.channels < 1 || format.sampleRate < 1000) {
        throw new AudioFormatError("WAV format chunk has no channels or no sample rate");
      }
      const frame = format.channels * BYTES_PER_SAMPLE;
      const usable = size - (size % frame);
      return { ...format, data: file.subarray(start, start + usable) };
    }
    offset = start + size + (size % 2); // chunks are word-aligned
  }
  throw new AudioFormatError("WAV file has no data chunk");
}

/** A 44-byte-header WAV around 16 kHz mono s16le PCM. */
export function encodeWav(pcm: Buffer, sampleRate = SAMPLE_RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/**
 * 16 kHz mono s16le PCM from a PCM16 WAV: channels averaged, then linear interpolation to
 * 16 kHz (no anti-alias filter: good enough for speech from 22–48 kHz sources; use sox for
 * music-grade conversion).
 */
export function wavToPcm16kMono(file: Buffer): Buffer {
  const { sampleRate, channels, data } = parseWav(file);
  const frames = data.length / (channels * BYTES_PER_SAMPLE);
  if (sampleRate === SAMPLE_RATE && channels === 1) return Buffer.from(data);
  const mono = new Float64Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) {
      sum += data.readInt16LE((frame * channels + channel) * BYTES_PER_SAMPLE);
    }
    mono[frame] = sum / channels;
  }
  const outFrames = Math.floor((frames * SAMPLE_RATE) / sampleRate);
  const out = Buffer.alloc(outFrames * BYTES_PER_SAMPLE);
  const step = sampleRate / SAMPLE_RATE;
  for (let index = 0; index < outFrames; index++) {
    const position = index * step;
    const left = Math.floor(position);
    const fraction = position - left;
    const a = mono[left] ?? 0;
    const b = mono[left + 1] ?? a;
    const value = Math.round(a + (b - a) * fraction);
    out.writeInt16LE(Math.max(-32768, Math.min(32767, value)), index * BYTES_PER_SAMPLE);
  }
  return out;
}

/** The 16 kHz mono PCM of an input (validated: whole samples only). */
export function toPcm(input: AudioInput): Buffer {
  if ("wav" in input) return wavToPcm16kMono(input.wav);
  if (input.pcm.length % BYTES_PER_SAMPLE !== 0) {
    throw new AudioFormatError("PCM length is not a whole number of 16-bit samples");
  }
  return input.pcm;
}

/** Duration of 16 kHz mono 16-bit PCM, in milliseconds. */
export function pcmDurationMs(pcm: Buffer): number {
  return pcm.length / BYTES_PER_MS;
}

/** Root-mean-square level of a stretch of s16le PCM, in dBFS (−Infinity for digital silence). */
export function rmsDbfs(pcm: Buffer, start = 0, end = pcm.length): number {
  let sum = 0;
  let count = 0;
  for (let offset = start; offset + 1 < end; offset += BYTES_PER_SAMPLE) {
    const sample = pcm.readInt16LE(offset) / 32768;
    sum += sample * sample;
    count++;
  }
  return count === 0 ? -Infinity : 10 * Math.log10(sum / count);
}
