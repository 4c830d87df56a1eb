/*
 * powercutfs: a passthrough FUSE file system that simulates a power cut (the approach of LazyFS).
 *
 *   usage: powercutfs BACKING_DIR MOUNTPOINT [-f] [-o FUSE options]
 *   build: gcc -Wall -Wextra -O2 -o powercutfs powercutfs.c $(pkg-config --cflags --libs fuse3)
 *
 * Every operation goes through to BACKING_DIR at once; on the side, it keeps per file what a crash would
 * take away, and the command "cut" takes it away.
 *
 * Durability model
 *   - Metadata is durable at once, as a journaling file system commits it: create, mkdir, rename, unlink,
 *     rmdir, chmod, utimens, and the size set by truncate/ftruncate/O_TRUNC/fallocate.
 *   - File contents are durable only once that file is fsync'ed (fsync and fdatasync alike). Writes to a
 *     shared mmap reach us as writes when the kernel writes the pages back (at the latest on close); an
 *     msync(MS_SYNC) or FileChannel.force arrives as fsync. Written back without an fsync is still unsynced.
 *
 * How: an undo log per file, keyed by its path (rename takes it along, unlink drops it, fsync forgets it)
 *
 *     write(off,len) ---> 1. first change since the last fsync to a 4 KiB page below the durable size D:
 *                            save the page's durable bytes (undo[page])
 *                         2. pwrite to the backing file
 *     fsync ------------> fsync the backing file; forget the undo pages; D := current size
 *     truncate(S) ------> D := S; bytes below min(old D, S) keep their durable value, above they are zeros
 *     "cut" ------------> every file: write its undo pages back, truncate it to D; then FREEZE
 *
 *        before the cut:  | durable | changed, undo saved | durable |  appended, unsynced  |
 *                         0                                         D                      size
 *        after the cut:   | durable | undo written back   | durable |
 *
 *   A file without undo state has D = its current size; a new file has D = 0, so a file created and
 *   written but never synced comes back empty (the classic zero-length file after a crash; intended).
 *
 *   FROZEN, after the cut: write, truncate, fallocate, chmod, utimens and fsync return success and change
 *   nothing, so pages the kernel writes back later (at close or unmount) cannot bring lost data back.
 *   create, mkdir, unlink, rmdir and rename fail with EROFS instead: a create cannot pretend, the kernel
 *   looks the new file up at once. Reads through this mount may still come from the kernel's page cache;
 *   the backing directory, or a new mount of it, shows the state after the power cut.
 *
 * The command: the control file MOUNTPOINT/.powercut (readdir does not list it).
 *   echo cut > MOUNTPOINT/.powercut   drops all unsynced data, freezes, prints one summary line to stderr
 *   cat MOUNTPOINT/.powercut          frozen=0|1 tracked_files=N undo_pages=N (unsynced now) and
 *                                     cut_files=N cut_pages=N cut_bytes=N (what the cut changed)
 *
 * State is in memory, guarded by one mutex (the fsync of a backing file happens under it): per file with
 * unsynced changes, one pointer per page up to the highest saved one and 4 KiB per saved page that is not
 * all zeros. Locks are left to the kernel. No symlinks, hard links, xattrs or special files.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define PAGE 4096
#define CONTROL "/.powercut"

struct fstate {
    struct fstate *next;
    char *path;              /* relative to the mount root, starting with '/' */
    off_t durable;           /* the size this file has after a cut */
    unsigned char **pages;   /* page index -> saved durable bytes, ZEROS, or NULL if not changed */
    size_t cap, count;
};

static unsigned char ZEROS[PAGE];
static char backing[PATH_MAX];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fstate *files;
static int frozen;
static long cut_files, cut_pages;
static long long cut_bytes;

static int bpath(const char *path, char *out)
{
    return snprintf(out, PATH_MAX, "%s%s", backing, path) >= PATH_MAX ? -ENAMETOOLONG : 0;
}

#define BPATH(var, path) char var[PATH_MAX]; do { int e_ = bpath(path, var); if (e_) return e_; } while (0)

static int is_control(const char *path) { return strcmp(path, CONTROL) == 0; }

static void free_state(struct fstate *st)
{
    for (size_t i = 0; i < st->cap; i++)
        if (st->pages[i] != ZEROS)
            free(st->pages[i]);
    free(st->pages);
    free(st->path);
    free(st);
}

static void forget_all(void)
{
    for (struct fstate *st; (st = files);) {
        files = st->next;
        free_state(st);
    }
}

static struct fstate *find(const char *path)
{
    for (struct fstate *st = files; st; st = st->next)
        if (strcmp(st->path, path) == 0)
            return st;
    return NULL;
}

/* The state of path, made with D = the file's current size if it has none (nothing unsynced yet). */
static int find_or_add(const char *path, int fd, struct fstate **out)
{
    struct stat sb;
    if ((*out = find(path)))
        return 0;
    if (fstat(fd, &sb) < 0)
        return -errno;
    struct fstate *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return -ENOMEM;
    }
    st->durable = sb.st_size;
    st->next = files;
    files = *out = st;
    return 0;
}

/* Drops the state of path and, if subtree, of everything under it. */
static void drop(const char *path, int subtree)
{
    size_t n = strlen(path);
    for (struct fstate **p = &files; *p;) {
        struct fstate *st = *p;
        if (strcmp(st->path, path) == 0 || (subtree && strncmp(st->path, path, n) == 0 && st->path[n] == '/')) {
            *p = st->next;
            free_state(st);
        } else {
            p = &st->next;
        }
    }
}

/* Moves the state of from (and everything under it) to to. */
static int repath(const char *from, const char *to)
{
    size_t n = strlen(from);
    for (struct fstate *st = files; st; st = st->next) {
        if (strncmp(st->path, from, n) != 0 || (st->path[n] != '\0' && st->path[n] != '/'))
            continue;
        char *moved;
        if (asprintf(&moved, "%s%s", to, st->path + n) < 0)
            return -ENOMEM;
        free(st->path);
        st->path = moved;
    }
    return 0;
}

/* Saves the durable bytes of page idx if not saved yet: the file's bytes below limit, zeros from limit on. */
static int save_page(struct fstate *st, int fd, size_t idx, off_t limit)
{
    if (idx >= st->cap) {
        size_t cap = idx < 8 ? 16 : 2 * idx;
        unsigned char **pages = realloc(st->pages, cap * sizeof *pages);
        if (!pages)
            return -ENOMEM;
        memset(pages + st->cap, 0, (cap - st->cap) * sizeof *pages);
        st->pages = pages;
        st->cap = cap;
    }
    if (st->pages[idx])
        return 0;
    off_t start = (off_t) idx * PAGE;
    size_t want = start >= limit ? 0 : (size_t) (limit - start < PAGE ? limit - start : PAGE);
    unsigned char *buf = want ? calloc(1, PAGE) : NULL;   /* past the end of the file: zeros */
    if (want && (!buf || pread(fd, buf, want, start) < 0)) {
        int e = buf ? errno : ENOMEM;
        free(buf);
        return -e;
    }
    if (buf && memcmp(buf, ZEROS, PAGE) == 0) {
        free(buf);
        buf = NULL;
    }
    st->pages[idx] = buf ? buf : ZEROS;
    st->count++;
    return 0;
}

/* Before [off, end) of the file changes: save the pages of it that lie below the durable size. */
static int before_change(struct fstate *st, int fd, off_t off, off_t end)
{
    int e = 0;
    for (off_t p = off / PAGE * PAGE; !e && p < end && p < st->durable; p += PAGE)
        e = save_page(st, fd, p / PAGE, st->durable);
    return e;
}

/* The file (current size cur) gets size S, durably: below min(D,S) the durable bytes stay, from there zeros. */
static int truncate_state(struct fstate *st, int fd, off_t size, off_t cur)
{
    int e = 0;
    for (off_t p = st->durable / PAGE * PAGE; !e && p < size && p < cur; p += PAGE)
        e = save_page(st, fd, p / PAGE, st->durable);   /* unsynced bytes in [D, S) turn to zeros */
    if (e)
        return e;
    for (size_t i = 0; i < st->cap; i++) {
        off_t start = (off_t) i * PAGE;
        if (!st->pages[i] || st->pages[i] == ZEROS || start + PAGE <= size)
            continue;
        if (start >= size) {   /* cut off durably: nothing to put back there */
            free(st->pages[i]);
            st->pages[i] = ZEROS;
        } else {
            memset(st->pages[i] + (size - start), 0, PAGE - (size - start));
        }
    }
    st->durable = size;
    return 0;
}

/* Truncates path (open as fd) to size, keeping the undo state right. Caller holds mu. */
static int do_truncate(const char *path, int fd, off_t size)
{
    struct fstate *st = find(path);
    struct stat sb;
    int e = !st ? 0 : fstat(fd, &sb) < 0 ? -errno : truncate_state(st, fd, size, sb.st_size);
    return e ? e : ftruncate(fd, size) < 0 ? -errno : 0;
}

#define WARN(what, path) fprintf(stderr, "powercutfs: cut: cannot " what " %s: %s\n", path, strerror(errno))

/* Puts back the durable state of every file. Caller holds mu. */
static void power_cut(void)
{
    static unsigned char now[PAGE];
    cut_files = cut_pages = 0;
    cut_bytes = 0;
    for (struct fstate *st = files; st; st = st->next) {
        char bp[PATH_MAX];
        struct stat sb;
        int changed = 0, fd = bpath(st->path, bp) ? (errno = ENAMETOOLONG, -1) : open(bp, O_RDWR);
        if (fd < 0 || fstat(fd, &sb) < 0) {
            WARN("open", st->path);
            if (fd >= 0)
                close(fd);
            continue;
        }
        for (size_t i = 0; i < st->cap; i++) {
            off_t start = (off_t) i * PAGE;
            if (!st->pages[i] || start >= st->durable)
                continue;
            size_t len = st->durable - start < PAGE ? (size_t) (st->durable - start) : PAGE;
            ssize_t got = pread(fd, now, len, start);
            long diff = 0;
            for (size_t b = 0; b < len; b++)
                diff += (got < 0 || (size_t) got <= b || now[b] != st->pages[i][b]);
            if (diff == 0)
                continue;
            if (pwrite(fd, st->pages[i], len, start) != (ssize_t) len)
                WARN("restore", st->path);
            cut_pages++;
            cut_bytes += diff;
            changed = 1;
        }
        if (sb.st_size != st->durable) {
            if (ftruncate(fd, st->durable) < 0)
                WARN("truncate", st->path);
            cut_bytes += sb.st_size > st->durable ? sb.st_size - st->durable : 0;
            changed = 1;
        }
        cut_files += changed;
        close(fd);
    }
    forget_all();
    frozen = 1;
    fprintf(stderr, "powercutfs: power cut: %ld files touched, %ld pages restored, %lld bytes dropped; frozen\n",
            cut_files, cut_pages, cut_bytes);
}

static int control_stats(char *out, size_t size)
{
    long tracked = 0, pages = 0;
    for (struct fstate *st = files; st; st = st->next, tracked++)
        pages += st->count;
    return snprintf(out, size, "frozen=%d tracked_files=%ld undo_pages=%ld cut_files=%ld cut_pages=%ld "
                    "cut_bytes=%lld\n", frozen, tracked, pages, cut_files, cut_pages, cut_bytes);
}

/* ---- the operations ---- */

static int pc_getattr(const char *path, struct stat *sb, struct fuse_file_info *fi)
{
    BPATH(bp, path);
    if (is_control(path)) {
        *sb = (struct stat) { .st_mode = S_IFREG | 0600, .st_nlink = 1, .st_uid = getuid(), .st_gid = getgid() };
        return 0;
    }
    return (fi ? fstat(fi->fh, sb) : lstat(bp, sb)) < 0 ? -errno : 0;
}

static int pc_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags)
{
    (void) off; (void) fi; (void) flags;
    BPATH(bp, path);
    DIR *dir = opendir(bp);
    if (!dir)
        return -errno;
    for (struct dirent *d; (d = readdir(dir));) {
        if (strcmp(path, "/") == 0 && strcmp(d->d_name, CONTROL + 1) == 0)
            continue;
        struct stat sb = { .st_ino = d->d_ino, .st_mode = (mode_t) d->d_type << 12 };
        if (fill(buf, d->d_name, &sb, 0, 0))
            break;
    }
    closedir(dir);
    return 0;
}

static int pc_mkdir(const char *path, mode_t mode)
{
    BPATH(bp, path);
    return frozen ? -EROFS : mkdir(bp, mode) < 0 ? -errno : 0;
}

static int remove_name(const char *path, int dir)
{
    BPATH(bp, path);
    if (is_control(path))
        return -EPERM;
    pthread_mutex_lock(&mu);
    int r = frozen ? -EROFS : (dir ? rmdir(bp) : unlink(bp)) < 0 ? -errno : 0;
    if (r == 0)
        drop(path, dir);
    pthread_mutex_unlock(&mu);
    return r;
}

static int pc_unlink(const char *path) { return remove_name(path, 0); }
static int pc_rmdir(const char *path) { return remove_name(path, 1); }

static int pc_rename(const char *from, const char *to, unsigned int flags)
{
    BPATH(bfrom, from);
    BPATH(bto, to);
    if (is_control(from) || is_control(to))
        return -EPERM;
    pthread_mutex_lock(&mu);
    int r = frozen ? -EROFS : renameat2(AT_FDCWD, bfrom, AT_FDCWD, bto, flags) < 0 ? -errno : 0;
    if (r == 0 && (flags & RENAME_EXCHANGE)) {
        r = repath(from, "\x01swap");
        r = r ? r : repath(to, from);
        r = r ? r : repath("\x01swap", to);
    } else if (r == 0) {
        drop(to, 1);   /* replaced */
        r = repath(from, to);
    }
    pthread_mutex_unlock(&mu);
    return r;
}

static int pc_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
    BPATH(bp, path);
    if (is_control(path) || frozen)
        return 0;
    return (fi ? fchmod(fi->fh, mode) : chmod(bp, mode)) < 0 ? -errno : 0;
}

static int pc_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
    BPATH(bp, path);
    if (is_control(path) || frozen)
        return 0;
    int r = fi ? futimens(fi->fh, tv) : utimensat(AT_FDCWD, bp, tv, AT_SYMLINK_NOFOLLOW);
    return r < 0 ? -errno : 0;
}

static int pc_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
    BPATH(bp, path);
    if (is_control(path))
        return 0;
    pthread_mutex_lock(&mu);
    int r = 0, fd = fi ? (int) fi->fh : open(bp, O_RDWR);
    if (fd < 0)
        r = -errno;
    else if (!frozen)
        r = do_truncate(path, fd, size);
    if (!fi && fd >= 0)
        close(fd);
    pthread_mutex_unlock(&mu);
    return r;
}

/* Opens the backing file: O_APPEND and O_DIRECT off (the kernel gives the offsets), write-only as read-write
 * (saving a page reads it), O_TRUNC done by do_truncate. */
static int open_backing(const char *path, struct fuse_file_info *fi, int create, mode_t mode)
{
    BPATH(bp, path);
    int flags = fi->flags & ~(O_APPEND | O_DIRECT | O_TRUNC);
    if ((flags & O_ACCMODE) == O_WRONLY)
        flags = (flags & ~O_ACCMODE) | O_RDWR;
    pthread_mutex_lock(&mu);
    int r = 0, fd = frozen && create ? (errno = EROFS, -1) : open(bp, flags, mode);
    if (fd < 0 && errno == EACCES && !create)
        fd = open(bp, fi->flags & ~(O_APPEND | O_DIRECT | O_TRUNC));
    if (fd < 0)
        r = -errno;
    else if ((fi->flags & O_TRUNC) && !frozen)
        r = do_truncate(path, fd, 0);
    pthread_mutex_unlock(&mu);
    if (r < 0 && fd >= 0)
        close(fd);
    fi->fh = fd;
    return r;
}

static int pc_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
    return open_backing(path, fi, 1, mode);
}

static int pc_open(const char *path, struct fuse_file_info *fi)
{
    if (is_control(path)) {
        fi->direct_io = 1;   /* reads and writes come to us whatever the size says */
        fi->fh = (uint64_t) -1;
        return 0;
    }
    return open_backing(path, fi, 0, 0);
}

static int pc_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
    if (is_control(path)) {
        char text[256];
        pthread_mutex_lock(&mu);
        int n = control_stats(text, sizeof text);
        pthread_mutex_unlock(&mu);
        if (off >= n)
            return 0;
        size_t len = (size_t) (n - off) < size ? (size_t) (n - off) : size;
        memcpy(buf, text + off, len);
        return (int) len;
    }
    ssize_t n = pread(fi->fh, buf, size, off);
    return n < 0 ? -errno : (int) n;
}

static int pc_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
    if (is_control(path)) {
        if (off != 0 || size < 3 || memcmp(buf, "cut", 3) != 0 || (size > 3 && buf[3] != '\n'))
            return -EINVAL;   /* "cut" or "cut\n" */
        pthread_mutex_lock(&mu);
        power_cut();
        pthread_mutex_unlock(&mu);
        return (int) size;
    }
    pthread_mutex_lock(&mu);
    struct fstate *st;
    int r = frozen ? (int) size : find_or_add(path, fi->fh, &st);
    if (!frozen && r == 0)
        r = before_change(st, fi->fh, off, off + (off_t) size);
    if (!frozen && r == 0) {
        ssize_t n = pwrite(fi->fh, buf, size, off);
        r = n < 0 ? -errno : (int) n;
    }
    pthread_mutex_unlock(&mu);
    return r;
}

static int pc_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi)
{
    if (is_control(path) || (mode & ~FALLOC_FL_KEEP_SIZE))
        return -EOPNOTSUPP;   /* only plain allocation: it changes no bytes, only maybe the size */
    pthread_mutex_lock(&mu);
    struct fstate *st = frozen ? NULL : find(path);
    struct stat sb;
    int r = 0;
    if (st && !(mode & FALLOC_FL_KEEP_SIZE) && fstat(fi->fh, &sb) == 0 && off + len > sb.st_size)
        r = truncate_state(st, fi->fh, off + len, sb.st_size);
    if (!frozen && r == 0)
        r = fallocate(fi->fh, mode, off, len) < 0 ? -errno : 0;
    pthread_mutex_unlock(&mu);
    return r;
}

static int pc_statfs(const char *path, struct statvfs *sv)
{
    (void) path;
    return statvfs(backing, sv) < 0 ? -errno : 0;
}

static int pc_flush(const char *path, struct fuse_file_info *fi) { (void) path; (void) fi; return 0; }

static int pc_release(const char *path, struct fuse_file_info *fi)
{
    if (!is_control(path))
        close(fi->fh);
    return 0;
}

static int pc_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
    if (is_control(path))
        return 0;
    pthread_mutex_lock(&mu);
    int r = 0;
    if (!frozen) {
        r = (datasync ? fdatasync(fi->fh) : fsync(fi->fh)) < 0 ? -errno : 0;
        if (r == 0)
            drop(path, 0);   /* all of it is durable now: D = current size, nothing to put back */
    }
    pthread_mutex_unlock(&mu);
    return r;
}

/* names are durable at once */
static int pc_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
    (void) path; (void) datasync; (void) fi;
    return 0;
}

static void pc_destroy(void *data) { (void) data; forget_all(); }

static const struct fuse_operations ops = {
    .getattr = pc_getattr, .readdir = pc_readdir, .mkdir = pc_mkdir, .unlink = pc_unlink, .rmdir = pc_rmdir,
    .rename = pc_rename, .chmod = pc_chmod, .utimens = pc_utimens, .truncate = pc_truncate, .create = pc_create,
    .open = pc_open, .read = pc_read, .write = pc_write, .fallocate = pc_fallocate, .statfs = pc_statfs,
    .flush = pc_flush, .release = pc_release, .fsync = pc_fsync, .fsyncdir = pc_fsyncdir, .destroy = pc_destroy,
};

int main(int argc, char *argv[])
{
    struct stat sb;
    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: %s BACKING_DIR MOUNTPOINT [-f] [-o options]\n", argv[0]);
        return 2;
    }
    if (!realpath(argv[1], backing) || stat(backing, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "powercutfs: %s is not a directory\n", argv[1]);
        return 2;
    }
    if (strcmp(backing, "/") == 0)
        backing[0] = '\0';   /* paths from FUSE start with '/' */
    umask(0);   /* the kernel applied the caller's umask already */
    argv[1] = "-ofsname=powercutfs,subtype=powercutfs";   /* BACKING_DIR is ours, the rest is FUSE's */
    return fuse_main(argc, argv, &ops, NULL);
}
