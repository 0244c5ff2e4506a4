# The local base image: the Debian root filesystem that run.py made with mmdebstrap, as it is.
# run.py builds it with `docker build --platform linux/<arch>` from the folder holding rootfs.tar,
# which labels the image with that platform.
FROM scratch
ADD rootfs.tar /
ENV LANG=C.UTF-8
CMD ["python3"]
