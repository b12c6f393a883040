# trailscan in a container: built with the official Swift image, shipped as
# the static binary of scripts/build-static.sh on debian:bookworm-slim.
#
#   docker build -t trailscan .
#   docker run --rm -v "$HOME/trail:/trail:ro" trailscan scan /trail --format csv
#
# The runtime stage is the layout scripts/test-static.sh checks in a chroot
# (a debootstrap minbase root plus libisal2 and libsqlite3-0): the binary at
# /usr/local/bin/trailscan needs only the C library and zlib; libisal2 gives
# `--inflater auto` ISA-L, libsqlite3-0 gives `--db`. Both stages are
# Debian 12 (bookworm), so the binary runs on the glibc it was linked with.
ARG SWIFT_VERSION=6.2

FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zlib1g-dev pkg-config libisal-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/build-static.sh --output /out/trailscan

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libisal2 libsqlite3-0 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/trailscan /usr/local/bin/trailscan
# Any non-root user; the sample trail of a bare `trailscan scan` is cached in /tmp.
ENV XDG_CACHE_HOME=/tmp
USER 65532:65532
ENTRYPOINT ["trailscan"]
CMD ["--help"]
