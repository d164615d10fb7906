/*
 * A small WASI preview1 host for a module translated to C by wasm2c (wabt
 * 1.0.32). It gives kql-edge a second, native engine next to node:wasi.
 *
 * Usage: program [--dir HOST_PATH[::GUEST_PATH]]... [--call EXPORT] [--] [ARG]...
 *   --dir    preopens a host directory; preopens get fds 3, 4, ... in order.
 *   --call   calls an exported `() -> i32` function and prints its result
 *            (reactor/benchmark mode) instead of running `_start`.
 *   ARGs     become the guest's argv[1..]; argv[0] is the wasm file's name.
 * Exit status: the guest's proc_exit code (0 when `_start` returns), 134 after
 * a trap, 2 for usage errors.
 *
 * This file does not depend on a particular module: the per-module glue
 * (generated, see wasi-host.h) supplies instantiation and exports, and gives
 * WASI imports this host lacks weak ENOSYS stubs that the definitions below
 * override. Including module.h makes gcc check every definition below that
 * the module imports against the signature the module expects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi-host.h"
#include "wasm-rt-impl.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wasi-host.c copies wasm values as-is and needs a little-endian host"
#endif

#define TRAP_EXIT_CODE 134
#define USAGE_EXIT_CODE 2

/* ---- WASI preview1 constants ---- */

enum {
  ERRNO_SUCCESS = 0, ERRNO_2BIG = 1, ERRNO_ACCES = 2, ERRNO_AGAIN = 6,
  ERRNO_BADF = 8, ERRNO_BUSY = 10, ERRNO_EXIST = 20, ERRNO_FAULT = 21,
  ERRNO_FBIG = 22, ERRNO_INTR = 27, ERRNO_INVAL = 28, ERRNO_IO = 29,
  ERRNO_ISDIR = 31, ERRNO_LOOP = 32, ERRNO_MFILE = 33, ERRNO_MLINK = 34,
  ERRNO_NAMETOOLONG = 37, ERRNO_NFILE = 41, ERRNO_NOENT = 44,
  ERRNO_NOMEM = 48, ERRNO_NOSPC = 51, ERRNO_NOSYS = 52, ERRNO_NOTDIR = 54,
  ERRNO_NOTEMPTY = 55, ERRNO_NOTSUP = 58, ERRNO_NOTTY = 59, ERRNO_NXIO = 60,
  ERRNO_OVERFLOW = 61, ERRNO_PERM = 63, ERRNO_PIPE = 64, ERRNO_RANGE = 68,
  ERRNO_ROFS = 69, ERRNO_SPIPE = 70, ERRNO_TXTBSY = 74, ERRNO_XDEV = 75,
  ERRNO_NOTCAPABLE = 76,
};

enum {
  FILETYPE_UNKNOWN = 0, FILETYPE_BLOCK_DEVICE = 1, FILETYPE_CHARACTER_DEVICE = 2,
  FILETYPE_DIRECTORY = 3, FILETYPE_REGULAR_FILE = 4, FILETYPE_SOCKET_STREAM = 6,
  FILETYPE_SYMBOLIC_LINK = 7,
};

enum { OFLAGS_CREAT = 1, OFLAGS_DIRECTORY = 2, OFLAGS_EXCL = 4, OFLAGS_TRUNC = 8 };
enum { FDFLAGS_APPEND = 1, FDFLAGS_DSYNC = 2, FDFLAGS_NONBLOCK = 4, FDFLAGS_RSYNC = 8, FDFLAGS_SYNC = 16 };
enum { LOOKUP_SYMLINK_FOLLOW = 1 };

#define RIGHT_FD_DATASYNC (1ull << 0)
#define RIGHT_FD_READ (1ull << 1)
#define RIGHT_FD_WRITE (1ull << 6)
#define RIGHT_FD_ALLOCATE (1ull << 8)
#define RIGHT_FD_READDIR (1ull << 14)
#define RIGHT_FD_FILESTAT_SET_SIZE (1ull << 22)
#define RIGHTS_ALL ((1ull << 30) - 1)

/* ---- host state ---- */

typedef struct {
  bool open;
  bool preopen;
  int host_fd;
  u8 filetype;
  char* guest_path; /* preopens only */
  u64 rights_base, rights_inheriting;
} fd_entry;

struct Z_wasi_snapshot_preview1_instance_t {
  wasm_rt_memory_t* memory;
  u32 argc;
  const char** argv;
  fd_entry* fds;
  u32 fd_count;
};

struct Z_env_instance_t {
  struct Z_wasi_snapshot_preview1_instance_t* wasi;
};

typedef struct Z_wasi_snapshot_preview1_instance_t wasi_host;

/* Set when the trap's cause is already on stderr (abort, unsupported import). */
static volatile bool g_trap_reported = false;

void host_trap_after_message(void) {
  g_trap_reported = true;
  wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

static u32 errno_from_host(int e) {
  switch (e) {
    case 0: return ERRNO_SUCCESS;
    case E2BIG: return ERRNO_2BIG;
    case EACCES: return ERRNO_ACCES;
    case EAGAIN: return ERRNO_AGAIN;
    case EBADF: return ERRNO_BADF;
    case EBUSY: return ERRNO_BUSY;
    case EEXIST: return ERRNO_EXIST;
    case EFAULT: return ERRNO_FAULT;
    case EFBIG: return ERRNO_FBIG;
    case EINTR: return ERRNO_INTR;
    case EINVAL: return ERRNO_INVAL;
    case EIO: return ERRNO_IO;
    case EISDIR: return ERRNO_ISDIR;
    case ELOOP: return ERRNO_LOOP;
    case EMFILE: return ERRNO_MFILE;
    case EMLINK: return ERRNO_MLINK;
    case ENAMETOOLONG: return ERRNO_NAMETOOLONG;
    case ENFILE: return ERRNO_NFILE;
    case ENOENT: return ERRNO_NOENT;
    case ENOMEM: return ERRNO_NOMEM;
    case ENOSPC: return ERRNO_NOSPC;
    case ENOSYS: return ERRNO_NOSYS;
    case ENOTDIR: return ERRNO_NOTDIR;
    case ENOTEMPTY: return ERRNO_NOTEMPTY;
    case EOPNOTSUPP: return ERRNO_NOTSUP;
    case ENOTTY: return ERRNO_NOTTY;
    case ENXIO: return ERRNO_NXIO;
    case EOVERFLOW: return ERRNO_OVERFLOW;
    case EPERM: return ERRNO_PERM;
    case EPIPE: return ERRNO_PIPE;
    case ERANGE: return ERRNO_RANGE;
    case EROFS: return ERRNO_ROFS;
    case ESPIPE: return ERRNO_SPIPE;
    case ETXTBSY: return ERRNO_TXTBSY;
    case EXDEV: return ERRNO_XDEV;
    default: return ERRNO_IO;
  }
}

static u8 filetype_from_mode(mode_t mode) {
  if (S_ISREG(mode)) return FILETYPE_REGULAR_FILE;
  if (S_ISDIR(mode)) return FILETYPE_DIRECTORY;
  if (S_ISCHR(mode)) return FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(mode)) return FILETYPE_BLOCK_DEVICE;
  if (S_ISSOCK(mode)) return FILETYPE_SOCKET_STREAM;
  if (S_ISLNK(mode)) return FILETYPE_SYMBOLIC_LINK;
  return FILETYPE_UNKNOWN; /* pipes included, as other runtimes do */
}

/* ---- guest memory access (every pointer from the guest is checked) ---- */

static u8* guest_bytes(wasi_host* h, u32 ptr, u64 len) {
  if (!h->memory || (u64)ptr + len > h->memory->size) return NULL;
  return h->memory->data + ptr;
}

static bool put_u32(wasi_host* h, u32 ptr, u32 value) {
  u8* p = guest_bytes(h, ptr, 4);
  if (p) memcpy(p, &value, 4);
  return p != NULL;
}

static bool put_u64(wasi_host* h, u32 ptr, u64 value) {
  u8* p = guest_bytes(h, ptr, 8);
  if (p) memcpy(p, &value, 8);
  return p != NULL;
}

static void put_u64_at(u8* p, u64 value) { memcpy(p, &value, 8); }

/* ---- fd table ---- */

static fd_entry* lookup_fd(wasi_host* h, u32 fd) {
  if (fd >= h->fd_count || !h->fds[fd].open) return NULL;
  return &h->fds[fd];
}

static u32 add_fd(wasi_host* h, fd_entry entry) {
  u32 slot = 0;
  while (slot < h->fd_count && h->fds[slot].open) slot++;
  if (slot == h->fd_count) {
    h->fds = realloc(h->fds, sizeof(fd_entry) * (h->fd_count + 1));
    if (!h->fds) {
      perror("wasi-host: realloc");
      exit(TRAP_EXIT_CODE);
    }
    h->fd_count++;
  }
  entry.open = true;
  h->fds[slot] = entry;
  return slot;
}

static fd_entry stdio_entry(int host_fd) {
  fd_entry e = {0};
  struct stat st;
  e.host_fd = host_fd;
  e.filetype = fstat(host_fd, &st) == 0 ? filetype_from_mode(st.st_mode) : FILETYPE_UNKNOWN;
  e.rights_base = RIGHTS_ALL;
  e.rights_inheriting = RIGHTS_ALL;
  return e;
}

static void add_preopen(wasi_host* h, const char* spec) {
  /* HOST_PATH[::GUEST_PATH]; without a guest path the guest sees HOST_PATH. */
  const char* sep = strstr(spec, "::");
  size_t host_len = sep ? (size_t)(sep - spec) : strlen(spec);
  char* host_path = strndup(spec, host_len);
  fd_entry e = {0};
  e.preopen = true;
  e.guest_path = strdup(sep ? sep + 2 : spec);
  e.host_fd = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (e.host_fd < 0) {
    fprintf(stderr, "wasi-host: cannot open --dir %s: %s\n", host_path, strerror(errno));
    exit(USAGE_EXIT_CODE);
  }
  e.filetype = FILETYPE_DIRECTORY;
  e.rights_base = RIGHTS_ALL;
  e.rights_inheriting = RIGHTS_ALL;
  add_fd(h, e);
  free(host_path);
}

/*
 * Copies a guest path, refusing absolute paths and `..` that climbs above the
 * directory fd: the guest only reaches what it was given. (Symbolic links are
 * followed by the OS and are not confined; this is a test engine, not a
 * sandbox.)
 */
static u32 guest_path(wasi_host* h, u32 dir_fd, u32 ptr, u32 len, int* host_dir, char** out) {
  fd_entry* dir = lookup_fd(h, dir_fd);
  if (!dir) return ERRNO_BADF;
  if (dir->filetype != FILETYPE_DIRECTORY) return ERRNO_NOTDIR;
  u8* bytes = guest_bytes(h, ptr, len);
  if (!bytes) return ERRNO_FAULT;
  if (len == 0) return ERRNO_NOENT;
  if (memchr(bytes, 0, len)) return ERRNO_INVAL;
  if (bytes[0] == '/') return ERRNO_NOTCAPABLE;
  char* path = strndup((const char*)bytes, len);
  if (!path) return ERRNO_NOMEM;
  long depth = 0;
  for (const char* part = path; *part;) {
    size_t n = strcspn(part, "/");
    if (n == 2 && part[0] == '.' && part[1] == '.') depth--;
    else if (n > 0 && !(n == 1 && part[0] == '.')) depth++;
    if (depth < 0) {
      free(path);
      return ERRNO_NOTCAPABLE;
    }
    part += n;
    while (*part == '/') part++;
  }
  *host_dir = dir->host_fd;
  *out = path;
  return ERRNO_SUCCESS;
}

/* Translates guest iovecs into host ones; at most IOV_MAX, like readv itself. */
static u32 host_iovecs(wasi_host* h, u32 iovs, u32 count, struct iovec** out, int* out_count) {
  if (count > IOV_MAX) count = IOV_MAX;
  u8* raw = guest_bytes(h, iovs, (u64)count * 8);
  if (!raw) return ERRNO_FAULT;
  struct iovec* vec = malloc(sizeof(struct iovec) * (count ? count : 1));
  if (!vec) return ERRNO_NOMEM;
  for (u32 i = 0; i < count; i++) {
    u32 buf, buf_len;
    memcpy(&buf, raw + i * 8, 4);
    memcpy(&buf_len, raw + i * 8 + 4, 4);
    u8* p = guest_bytes(h, buf, buf_len);
    if (!p) {
      free(vec);
      return ERRNO_FAULT;
    }
    vec[i].iov_base = p;
    vec[i].iov_len = buf_len;
  }
  *out = vec;
  *out_count = (int)count;
  return ERRNO_SUCCESS;
}

static void fill_filestat(u8* p, const struct stat* st) {
  memset(p, 0, 64);
  put_u64_at(p + 0, (u64)st->st_dev);
  put_u64_at(p + 8, (u64)st->st_ino);
  p[16] = filetype_from_mode(st->st_mode);
  put_u64_at(p + 24, (u64)st->st_nlink);
  put_u64_at(p + 32, (u64)st->st_size);
  put_u64_at(p + 40, (u64)st->st_atim.tv_sec * 1000000000ull + (u64)st->st_atim.tv_nsec);
  put_u64_at(p + 48, (u64)st->st_mtim.tv_sec * 1000000000ull + (u64)st->st_mtim.tv_nsec);
  put_u64_at(p + 56, (u64)st->st_ctim.tv_sec * 1000000000ull + (u64)st->st_ctim.tv_nsec);
}

/* ==== wasi_snapshot_preview1 ==== */

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(wasi_host* h, u32 argc_ptr, u32 buf_size_ptr) {
  u32 size = 0;
  for (u32 i = 0; i < h->argc; i++) size += (u32)strlen(h->argv[i]) + 1;
  if (!put_u32(h, argc_ptr, h->argc) || !put_u32(h, buf_size_ptr, size)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(wasi_host* h, u32 argv_ptr, u32 buf_ptr) {
  for (u32 i = 0; i < h->argc; i++) {
    u32 len = (u32)strlen(h->argv[i]) + 1;
    u8* dst = guest_bytes(h, buf_ptr, len);
    if (!dst || !put_u32(h, argv_ptr + i * 4, buf_ptr)) return ERRNO_FAULT;
    memcpy(dst, h->argv[i], len);
    buf_ptr += len;
  }
  return ERRNO_SUCCESS;
}

/* The guest environment is empty, as with the node:wasi engine. */
u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(wasi_host* h, u32 count_ptr, u32 size_ptr) {
  if (!put_u32(h, count_ptr, 0) || !put_u32(h, size_ptr, 0)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_environ_get(wasi_host* h, u32 environ_ptr, u32 buf_ptr) {
  (void)h, (void)environ_ptr, (void)buf_ptr;
  return ERRNO_SUCCESS;
}

static clockid_t host_clock(u32 id, bool* ok) {
  *ok = true;
  switch (id) {
    case 0: return CLOCK_REALTIME;
    case 1: return CLOCK_MONOTONIC;
    case 2: return CLOCK_PROCESS_CPUTIME_ID;
    case 3: return CLOCK_THREAD_CPUTIME_ID;
    default: *ok = false; return CLOCK_REALTIME;
  }
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(wasi_host* h, u32 id, u64 precision, u32 time_ptr) {
  (void)precision;
  bool ok;
  clockid_t clock = host_clock(id, &ok);
  struct timespec ts;
  if (!ok) return ERRNO_INVAL;
  if (clock_gettime(clock, &ts) != 0) return errno_from_host(errno);
  if (!put_u64(h, time_ptr, (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_clock_res_get(wasi_host* h, u32 id, u32 res_ptr) {
  bool ok;
  clockid_t clock = host_clock(id, &ok);
  struct timespec ts;
  if (!ok) return ERRNO_INVAL;
  if (clock_getres(clock, &ts) != 0) return errno_from_host(errno);
  if (!put_u64(h, res_ptr, (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_random_get(wasi_host* h, u32 buf, u32 len) {
  u8* p = guest_bytes(h, buf, len);
  if (!p) return ERRNO_FAULT;
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_from_host(errno);
    }
    p += n;
    len -= (u32)n;
  }
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_sched_yield(wasi_host* h) {
  (void)h;
  sched_yield();
  return ERRNO_SUCCESS;
}

void Z_wasi_snapshot_preview1Z_proc_exit(wasi_host* h, u32 code) {
  (void)h;
  fflush(stdout);
  exit((int)code);
}

u32 Z_wasi_snapshot_preview1Z_fd_read(wasi_host* h, u32 fd, u32 iovs, u32 iovs_len, u32 nread_ptr) {
  fd_entry* e = lookup_fd(h, fd);
  struct iovec* vec;
  int count;
  if (!e) return ERRNO_BADF;
  if (e->filetype == FILETYPE_DIRECTORY) return ERRNO_ISDIR;
  u32 err = host_iovecs(h, iovs, iovs_len, &vec, &count);
  if (err) return err;
  ssize_t n;
  do n = readv(e->host_fd, vec, count); while (n < 0 && errno == EINTR);
  free(vec);
  if (n < 0) return errno_from_host(errno);
  if (!put_u32(h, nread_ptr, (u32)n)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(wasi_host* h, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_ptr) {
  fd_entry* e = lookup_fd(h, fd);
  struct iovec* vec;
  int count;
  if (!e) return ERRNO_BADF;
  if (e->filetype == FILETYPE_DIRECTORY) return ERRNO_ISDIR;
  u32 err = host_iovecs(h, iovs, iovs_len, &vec, &count);
  if (err) return err;
  ssize_t n;
  do n = writev(e->host_fd, vec, count); while (n < 0 && errno == EINTR);
  free(vec);
  if (n < 0) return errno_from_host(errno);
  if (!put_u32(h, nwritten_ptr, (u32)n)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(wasi_host* h, u32 fd) {
  fd_entry* e = lookup_fd(h, fd);
  if (!e) return ERRNO_BADF;
  /* The slot is released even if close(2) reports an error (POSIX leaves the
   * descriptor closed in that case on Linux). */
  int rc = close(e->host_fd);
  int saved = errno;
  free(e->guest_path);
  memset(e, 0, sizeof *e);
  return rc == 0 ? ERRNO_SUCCESS : errno_from_host(saved);
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(wasi_host* h, u32 fd, u64 offset, u32 whence, u32 new_offset_ptr) {
  fd_entry* e = lookup_fd(h, fd);
  int host_whence;
  if (!e) return ERRNO_BADF;
  /* Directories (preopens included) carry no seek right in WASI. */
  if (e->filetype == FILETYPE_DIRECTORY) return ERRNO_BADF;
  switch (whence) {
    case 0: host_whence = SEEK_SET; break;
    case 1: host_whence = SEEK_CUR; break;
    case 2: host_whence = SEEK_END; break;
    default: return ERRNO_INVAL;
  }
  off_t pos = lseek(e->host_fd, (off_t)(s64)offset, host_whence);
  if (pos < 0) return errno_from_host(errno); /* ESPIPE for pipes and ttys */
  if (!put_u64(h, new_offset_ptr, (u64)pos)) return ERRNO_FAULT;
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_tell(wasi_host* h, u32 fd, u32 offset_ptr) {
  return Z_wasi_snapshot_preview1Z_fd_seek(h, fd, 0, 1, offset_ptr);
}

u32 Z_wasi_snapshot_preview1Z_fd_sync(wasi_host* h, u32 fd) {
  fd_entry* e = lookup_fd(h, fd);
  if (!e) return ERRNO_BADF;
  return fsync(e->host_fd) == 0 ? ERRNO_SUCCESS : errno_from_host(errno);
}

u32 Z_wasi_snapshot_preview1Z_fd_datasync(wasi_host* h, u32 fd) {
  fd_entry* e = lookup_fd(h, fd);
  if (!e) return ERRNO_BADF;
  return fdatasync(e->host_fd) == 0 ? ERRNO_SUCCESS : errno_from_host(errno);
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(wasi_host* h, u32 fd, u32 buf) {
  fd_entry* e = lookup_fd(h, fd);
  if (!e) return ERRNO_BADF;
  u8* p = guest_bytes(h, buf, 24);
  if (!p) return ERRNO_FAULT;
  int fl = fcntl(e->host_fd, F_GETFL);
  if (fl < 0) return errno_from_host(errno);
  u16 flags = 0;
  if (fl & O_APPEND) flags |= FDFLAGS_APPEND;
  if (fl & O_NONBLOCK) flags |= FDFLAGS_NONBLOCK;
  if ((fl & O_SYNC) == O_SYNC) flags |= FDFLAGS_SYNC;
  else if (fl & O_DSYNC) flags |= FDFLAGS_DSYNC;
  memset(p, 0, 24);
  p[0] = e->filetype;
  memcpy(p + 2, &flags, 2);
  put_u64_at(p + 8, e->rights_base);
  put_u64_at(p + 16, e->rights_inheriting);
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(wasi_host* h, u32 fd, u32 buf) {
  fd_entry* e = lookup_fd(h, fd);
  struct stat st;
  if (!e) return ERRNO_BADF;
  u8* p = guest_bytes(h, buf, 64);
  if (!p) return ERRNO_FAULT;
  if (fstat(e->host_fd, &st) != 0) return errno_from_host(errno);
  fill_filestat(p, &st);
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(wasi_host* h, u32 fd, u32 buf) {
  fd_entry* e = lookup_fd(h, fd);
  /* EBADF ends the guest's scan over fds 3, 4, ... for preopens. */
  if (!e || !e->preopen) return ERRNO_BADF;
  u8* p = guest_bytes(h, buf, 8);
  if (!p) return ERRNO_FAULT;
  u32 len = (u32)strlen(e->guest_path);
  memset(p, 0, 8); /* tag 0: directory */
  memcpy(p + 4, &len, 4);
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(wasi_host* h, u32 fd, u32 path, u32 path_len) {
  fd_entry* e = lookup_fd(h, fd);
  if (!e || !e->preopen) return ERRNO_BADF;
  u32 len = (u32)strlen(e->guest_path);
  if (path_len < len) return ERRNO_NAMETOOLONG;
  u8* p = guest_bytes(h, path, len);
  if (!p) return ERRNO_FAULT;
  memcpy(p, e->guest_path, len);
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_path_open(wasi_host* h, u32 dir_fd, u32 dirflags, u32 path_ptr,
                                        u32 path_len, u32 oflags, u64 rights_base,
                                        u64 rights_inheriting, u32 fdflags, u32 fd_out) {
  int host_dir;
  char* path;
  u32 err = guest_path(h, dir_fd, path_ptr, path_len, &host_dir, &path);
  if (err) return err;
  fd_entry* dir = lookup_fd(h, dir_fd);

  /* The access mode follows the requested rights, as WASI libcs expect. */
  bool want_read = rights_base & (RIGHT_FD_READ | RIGHT_FD_READDIR);
  bool want_write = (rights_base & (RIGHT_FD_WRITE | RIGHT_FD_DATASYNC | RIGHT_FD_ALLOCATE |
                                    RIGHT_FD_FILESTAT_SET_SIZE)) ||
                    (fdflags & FDFLAGS_APPEND);
  int flags = O_CLOEXEC;
  if (oflags & OFLAGS_DIRECTORY) flags |= O_DIRECTORY | O_RDONLY;
  else if (want_read && want_write) flags |= O_RDWR;
  else if (want_write) flags |= O_WRONLY;
  else flags |= O_RDONLY;
  if (oflags & OFLAGS_CREAT) flags |= O_CREAT;
  if (oflags & OFLAGS_EXCL) flags |= O_EXCL;
  if (oflags & OFLAGS_TRUNC) flags |= O_TRUNC;
  if (fdflags & FDFLAGS_APPEND) flags |= O_APPEND;
  if (fdflags & FDFLAGS_NONBLOCK) flags |= O_NONBLOCK;
  if (fdflags & FDFLAGS_DSYNC) flags |= O_DSYNC;
  if (fdflags & (FDFLAGS_SYNC | FDFLAGS_RSYNC)) flags |= O_SYNC;
  if (!(dirflags & LOOKUP_SYMLINK_FOLLOW)) flags |= O_NOFOLLOW;

  int host_fd;
  do host_fd = openat(host_dir, path, flags, 0666); while (host_fd < 0 && errno == EINTR);
  int saved = errno;
  free(path);
  if (host_fd < 0) return errno_from_host(saved);

  struct stat st;
  fd_entry e = {0};
  e.host_fd = host_fd;
  e.filetype = fstat(host_fd, &st) == 0 ? filetype_from_mode(st.st_mode) : FILETYPE_UNKNOWN;
  e.rights_base = rights_base & dir->rights_inheriting;
  e.rights_inheriting = rights_inheriting & dir->rights_inheriting;
  u32 fd = add_fd(h, e);
  if (!put_u32(h, fd_out, fd)) {
    Z_wasi_snapshot_preview1Z_fd_close(h, fd);
    return ERRNO_FAULT;
  }
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_path_filestat_get(wasi_host* h, u32 dir_fd, u32 lookupflags,
                                                u32 path_ptr, u32 path_len, u32 buf) {
  int host_dir;
  char* path;
  struct stat st;
  u32 err = guest_path(h, dir_fd, path_ptr, path_len, &host_dir, &path);
  if (err) return err;
  u8* p = guest_bytes(h, buf, 64);
  int flags = (lookupflags & LOOKUP_SYMLINK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW;
  int rc = p ? fstatat(host_dir, path, &st, flags) : 0;
  int saved = errno;
  free(path);
  if (!p) return ERRNO_FAULT;
  if (rc != 0) return errno_from_host(saved);
  fill_filestat(p, &st);
  return ERRNO_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_path_rename(wasi_host* h, u32 old_fd, u32 old_ptr, u32 old_len,
                                          u32 new_fd, u32 new_ptr, u32 new_len) {
  int old_dir, new_dir;
  char *old_path, *new_path;
  u32 err = guest_path(h, old_fd, old_ptr, old_len, &old_dir, &old_path);
  if (err) return err;
  err = guest_path(h, new_fd, new_ptr, new_len, &new_dir, &new_path);
  if (err) {
    free(old_path);
    return err;
  }
  int rc = renameat(old_dir, old_path, new_dir, new_path);
  int saved = errno;
  free(old_path);
  free(new_path);
  return rc == 0 ? ERRNO_SUCCESS : errno_from_host(saved);
}

u32 Z_wasi_snapshot_preview1Z_path_unlink_file(wasi_host* h, u32 dir_fd, u32 path_ptr, u32 path_len) {
  int host_dir;
  char* path;
  u32 err = guest_path(h, dir_fd, path_ptr, path_len, &host_dir, &path);
  if (err) return err;
  int rc = unlinkat(host_dir, path, 0);
  int saved = errno;
  free(path);
  return rc == 0 ? ERRNO_SUCCESS : errno_from_host(saved);
}

u32 Z_wasi_snapshot_preview1Z_path_create_directory(wasi_host* h, u32 dir_fd, u32 path_ptr, u32 path_len) {
  int host_dir;
  char* path;
  u32 err = guest_path(h, dir_fd, path_ptr, path_len, &host_dir, &path);
  if (err) return err;
  int rc = mkdirat(host_dir, path, 0777);
  int saved = errno;
  free(path);
  return rc == 0 ? ERRNO_SUCCESS : errno_from_host(saved);
}

u32 Z_wasi_snapshot_preview1Z_path_remove_directory(wasi_host* h, u32 dir_fd, u32 path_ptr, u32 path_len) {
  int host_dir;
  char* path;
  u32 err = guest_path(h, dir_fd, path_ptr, path_len, &host_dir, &path);
  if (err) return err;
  int rc = unlinkat(host_dir, path, AT_REMOVEDIR);
  int saved = errno;
  free(path);
  return rc == 0 ? ERRNO_SUCCESS : errno_from_host(saved);
}

/* ==== env: what AssemblyScript imports when `abort`/`seed` are not rerouted ==== */

/* Writes an AssemblyScript string (UTF-16, byte length stored 4 bytes before
 * it) to stderr; characters beyond ASCII are shown as '?'. */
static void print_as_string(wasi_host* h, u32 ptr) {
  u8* len_bytes = ptr >= 4 ? guest_bytes(h, ptr - 4, 4) : NULL;
  u32 byte_len;
  if (!ptr || !len_bytes) {
    fputs("(null)", stderr);
    return;
  }
  memcpy(&byte_len, len_bytes, 4);
  u8* chars = guest_bytes(h, ptr, byte_len);
  if (!chars) return;
  for (u32 i = 0; i + 1 < byte_len; i += 2) {
    u16 c;
    memcpy(&c, chars + i, 2);
    fputc(c < 128 ? (int)c : '?', stderr);
  }
}

void Z_envZ_abort(struct Z_env_instance_t* env, u32 message, u32 file, u32 line, u32 column) {
  fputs("abort: ", stderr);
  print_as_string(env->wasi, message);
  fputs(" at ", stderr);
  print_as_string(env->wasi, file);
  fprintf(stderr, ":%u:%u\n", line, column);
  host_trap_after_message();
}

f64 Z_envZ_seed(struct Z_env_instance_t* env) {
  (void)env;
  u64 bits = 0;
  while (getrandom(&bits, sizeof bits, 0) < 0 && errno == EINTR) {}
  return (f64)(bits >> 11) / 9007199254740992.0; /* 53 random bits in [0, 1) */
}

/* ==== command line ==== */

static void usage(const char* self) {
  fprintf(stderr,
          "usage: %s [--dir HOST_PATH[::GUEST_PATH]]... [--call EXPORT] [--] [ARG]...\n"
          "  () -> i32 exports: %s\n",
          self, glue_i32_export_names[0] ? glue_i32_export_names : "(none)");
  exit(USAGE_EXIT_CODE);
}

int main(int argc, char** argv) {
  static wasi_host host;
  static struct Z_env_instance_t env;
  static Z_module_instance_t instance;
  const char* call_name = NULL;
  int i = 1;

  for (int fd = 0; fd < 3; fd++) add_fd(&host, stdio_entry(fd));
  for (; i < argc; i++) {
    if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) add_preopen(&host, argv[++i]);
    else if (strcmp(argv[i], "--call") == 0 && i + 1 < argc) call_name = argv[++i];
    else if (strcmp(argv[i], "--") == 0) { i++; break; }
    else if (strncmp(argv[i], "--", 2) == 0) usage(argv[0]);
    else break;
  }
  host.argc = (u32)(argc - i + 1);
  host.argv = calloc(host.argc, sizeof(char*));
  host.argv[0] = glue_program_name;
  for (u32 k = 1; k < host.argc; k++) host.argv[k] = argv[i + (int)k - 1];
  env.wasi = &host;

  glue_i32_export_fn call_fn = NULL;
  if (call_name && !(call_fn = glue_find_i32_export(call_name))) {
    fprintf(stderr, "wasi-host: no exported () -> i32 function named '%s'\n", call_name);
    usage(argv[0]);
  }

  /* A closed pipe must surface as ERRNO_PIPE to the guest, not kill us. */
  signal(SIGPIPE, SIG_IGN);
  wasm_rt_init();
  Z_module_init_module();
  host.memory = glue_memory(&instance);

  wasm_rt_trap_t trap = wasm_rt_impl_try();
  if (trap != WASM_RT_TRAP_NONE) {
    fflush(stdout);
    if (!g_trap_reported) fprintf(stderr, "wasm trap: %s\n", wasm_rt_strerror(trap));
    return TRAP_EXIT_CODE;
  }
  glue_instantiate(&instance, &host, &env); /* runs the start section, if any */
  if (call_fn) {
    printf("%d\n", (s32)call_fn(&instance));
  } else if (!glue_run_start(&instance)) {
    fprintf(stderr, "wasi-host: the module exports no _start (use --call EXPORT)\n");
    return USAGE_EXIT_CODE;
  }
  fflush(stdout);
  return 0;
}
