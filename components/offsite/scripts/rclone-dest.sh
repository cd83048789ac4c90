# shellcheck shell=bash
# Sourced by every script that talks to the cold-storage bucket (offsite copies, fetches,
# restores): the rclone remote `dest`, configured from the environment only.
#
#   DR_DEST_BUCKET            cold-storage bucket                 required
#   DR_DEST_PROVIDER          rclone s3 provider                  default AWS
#   DR_DEST_REGION            bucket region                       default: rclone's
#   DR_DEST_ENDPOINT          S3 endpoint URL (non-AWS)           default: provider's
#   DR_DEST_ACCESS_KEY_ID     static credentials; when unset, the AWS SDK chain is used
#   DR_DEST_SECRET_ACCESS_KEY   (env_auth: IRSA web identity, AWS_* env, instance role)
#   DR_DEST_KMS_KEY_ARN       ARN of the bucket's KMS key (SSE-KMS) required
# Any other rclone option of the destination can be set as RCLONE_CONFIG_DEST_<OPTION>.
#
# dest_remote DEFAULT_PREFIX prints "dest:<bucket>/<prefix>" (DR_DEST_PREFIX overrides the
# prefix; leading and trailing slashes are ignored).

# No config file: the root filesystem is read-only and /tmp is the scratch emptyDir.
export RCLONE_CONFIG=/dev/null XDG_CACHE_HOME="${XDG_CACHE_HOME:-/tmp/.cache}"
# Debug logs print backend secrets: pin the level whatever the pod env says.
unset RCLONE_VERBOSE RCLONE_DUMP RCLONE_LOG_FILE
export RCLONE_LOG_LEVEL=INFO
: "${DR_DEST_BUCKET:?DR_DEST_BUCKET is required}"
export RCLONE_CONFIG_DEST_TYPE=s3 RCLONE_CONFIG_DEST_PROVIDER="${DR_DEST_PROVIDER:-AWS}"
# The bucket is owned by the stack: never create it (the writer's IAM policy can't, by design).
export RCLONE_CONFIG_DEST_NO_CHECK_BUCKET=true RCLONE_CONFIG_DEST_FORCE_PATH_STYLE=true
if [[ -n "${DR_DEST_REGION:-}" ]]; then export RCLONE_CONFIG_DEST_REGION="$DR_DEST_REGION"; fi
if [[ -n "${DR_DEST_ENDPOINT:-}" ]]; then export RCLONE_CONFIG_DEST_ENDPOINT="$DR_DEST_ENDPOINT"; fi
if [[ -n "${DR_DEST_ACCESS_KEY_ID:-}" ]]; then
  export RCLONE_CONFIG_DEST_ENV_AUTH=false RCLONE_CONFIG_DEST_ACCESS_KEY_ID="$DR_DEST_ACCESS_KEY_ID"
  export RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY="${DR_DEST_SECRET_ACCESS_KEY:?DR_DEST_SECRET_ACCESS_KEY is required with DR_DEST_ACCESS_KEY_ID}"
else
  export RCLONE_CONFIG_DEST_ENV_AUTH=true
fi

# The bucket encrypts with SSE-KMS, whose ETags are not the MD5 of the content. rclone compares
# ETags with MD5s (an upload then fails "corrupted on transfer" and rclone tries to delete it)
# unless the remote says aws:kms: it then stores the MD5 in X-Amz-Meta-Md5chksum and checks that
# (rclone backend/s3/s3.go, etagIsNotMD5, v1.60 and v1.68). aws:kms without the key id would make
# S3 encrypt with the aws/s3 managed key instead of the stack's CMK: both are set, always.
: "${DR_DEST_KMS_KEY_ARN:?DR_DEST_KMS_KEY_ARN is required: the ARN of the KMS key of the bucket}"
export RCLONE_CONFIG_DEST_SERVER_SIDE_ENCRYPTION=aws:kms RCLONE_CONFIG_DEST_SSE_KMS_KEY_ID="$DR_DEST_KMS_KEY_ARN"

dest_remote() {
  local prefix="${DR_DEST_PREFIX-$1}"
  prefix="${prefix#/}"
  prefix="${prefix%/}"
  printf 'dest:%s%s' "$DR_DEST_BUCKET" "${prefix:+/$prefix}"
}
