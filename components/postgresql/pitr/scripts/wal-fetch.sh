#!/bin/bash
# QALITA DR: the restore_command of a point-in-time restore (pitr-restore.sh): copies WAL file
# FILE of the chosen generation's archive to PATH, for the recovering server.
#   <segment>.gz          a complete segment, decompressed;
#   <timeline>.history    as it is;
#   <segment>.gz.partial  only when the complete segment is absent: the end of the archive,
#                         the segment the receiver was writing. Its gzip stream stops short (the
#                         receiver, or the copy, was interrupted): decompressed as far as it goes
#                         — every record pg_receivewal --synchronous flushed — then padded with
#                         zeros to a segment's size, where recovery finds the end of the WAL.
# Exits 1 for a file the archive lacks, which tells the server there is no more WAL; each such
# request is appended to $DR_PITR_MISSING_LOG, for pitr-restore.sh to tell a hole from the end.
#
# Environment: DR_PITR_WAL_DIR (required), DR_PITR_SEGMENT_BYTES (default 16 MiB), DR_PITR_MISSING_LOG.
set -Eeuo pipefail
file=${1:?WAL file name}
target=${2:?path to copy it to}
wal=${DR_PITR_WAL_DIR:?DR_PITR_WAL_DIR is required}
tmp=$target.pitr-fetch

if [[ -f $wal/$file.gz ]]; then
  gzip -dc -- "$wal/$file.gz" >"$tmp"
elif [[ $file =~ ^[0-9A-F]{8}\.history$ && -f $wal/$file ]]; then
  cp -- "$wal/$file" "$tmp"
elif [[ $file =~ ^[0-9A-F]{24}$ && -f $wal/$file.gz.partial ]]; then
  # gzip exits 1 on the truncated stream after writing out all it could decompress.
  gzip -dc -- "$wal/$file.gz.partial" >"$tmp" 2>/dev/null || true
  bytes=$(stat -c %s "$tmp")
  truncate -s "${DR_PITR_SEGMENT_BYTES:-16777216}" "$tmp"
  echo "wal-fetch: $file from the partial segment ($bytes bytes of WAL): the end of the archive" >&2
else
  [[ -z ${DR_PITR_MISSING_LOG:-} ]] || echo "$file" >>"$DR_PITR_MISSING_LOG"
  exit 1
fi
mv -f -- "$tmp" "$target"
