package shell

import "testing"

// Review hook122 (on a5d3f91), the container and sandbox rules: a bind in
// a cluster of flags (-itv: H3), --mount readonly=false (H4), a named
// volume made a bind (H5), cp and build behind container/image/builder or
// a global option (H6), mount --bind inside unshare (H7), bwrap --args
// (H8); compose files from standard input in other spellings, :ro,rw,
// --volumes-from, apptainer -B, bwrap overlays, chroot into a directory
// holding a protected file (M1-M4). The git moves
// (checkout wip --, stash apply/pop of a crafted stash: H1, H2) are tested
// by the hook command with real git (planguard/hook121_test.go).
var h122Refused = []h32Case{
	{cmd: "podman run -itv ..:/w alpine rm /w/planguard.hcl"},
	{cmd: "docker run -dv $PWD:/w alpine rm -r /w"},
	{cmd: "docker run --mount type=bind,src=..,dst=/w,readonly=false alpine rm /w/allowed_signers"},
	{cmd: "docker run --mount src=..,dst=/w alpine rm /w/allowed_signers"},
	{cmd: "podman volume create --opt type=none --opt o=bind --opt device=.. v"},
	{cmd: "podman container cp C:/w/. .."},
	{cmd: "docker image build -o .. ."},
	{cmd: "docker builder build --output=type=local,dest=.. ."},
	{cmd: "docker --context x cp c:/x ."},
	{cmd: "unshare -rm sh -c 'mount --bind .. /mnt && rm /mnt/allowed_signers'"},
	{cmd: "mount -o bind .. /mnt"},
	{cmd: "bwrap --args 0 rm x"},
	{cmd: "bwrap --ro-bind / / --overlay-src .. --tmp-overlay /w rm /w/x"},
	{cmd: "docker compose --file=- up"},
	{cmd: "docker compose -f- up"},
	{cmd: "docker-compose -f - up"},
	{cmd: "podman-compose -f - up"},
	{cmd: "docker stack deploy -c - s"},
	{cmd: "podman kube play -"},
	{cmd: "docker run -v ..:/w:ro,rw alpine ls"},
	{cmd: "docker run --volumes-from c alpine ls"},
	{cmd: "apptainer exec -B ..:/w img rm /w/planguard.hcl"},
	{cmd: "singularity exec --bind=.:/w img rm -r /w"},
	{cmd: "singularity exec --bind .:/w img rm -r /w"},
	{cmd: "chroot .. /bb truncate -s0 /planguard.hcl"},
}

var h122Allowed = []string{
	"docker run -v cache:/c img",
	"docker run --rm --mount type=bind,src=/tmp/x,dst=/w img ls",
	"docker run --rm --mount type=bind,src=..,dst=/w,readonly img ls",
	"podman volume create cache",
	"docker image ls",
	"docker compose up -d",
	"apptainer exec -B /tmp/data:/data img ls",
	"chroot /srv/rootfs ls",
}

func TestHook122Refused(t *testing.T) {
	hookRefused(t, h122Refused)
}

func TestHook122Allowed(t *testing.T) {
	hookAllowed(t, h122Allowed)
}
