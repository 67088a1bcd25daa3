{
  "targets": [
    {
      "target_name": "transcript_scan",
      "sources": ["native/transcript-scan.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=c11"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-Wall", "-Wextra", "-std=c11"] }
    }
  ]
}
