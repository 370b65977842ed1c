/* test_memfile: a memfile holds exactly its bytes after zeroed headroom, cannot be changed through its file
 * descriptor in any way, can be sent with sendfile(), and survives being freed while its bytes are in flight.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/memfile.h"

static void test_layout(void **state)
{
	static const char text[] = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	struct memfile m;

	(void)state;
	assert_int_equal(memfile_create(&m, "test", 32, text, strlen(text)), 0);
	assert_true(m.fd >= 0);
	assert_int_equal(m.size, 32 + strlen(text) + 1);
	for (int i = 0; i < 32; i++)
		assert_int_equal(m.map[i], 0);
	assert_memory_equal(m.map + 32, text, strlen(text));
	assert_int_equal(m.map[32 + strlen(text)], '\0');
	memfile_free(&m);
	assert_int_equal(m.fd, -1);
	assert_null(m.map);
	memfile_free(&m); /* an empty memfile may be freed again */
}

static void test_sealed(void **state)
{
	struct memfile m;
	char c = 'x';

	(void)state;
	assert_int_equal(memfile_create(&m, "test", 0, "abc", 3), 0);
	errno = 0;
	assert_true(pwrite(m.fd, &c, 1, 0) < 0);
	assert_int_equal(errno, EPERM);
	assert_true(ftruncate(m.fd, 1) < 0);
	assert_true(ftruncate(m.fd, 1 << 20) < 0);
	assert_true(fcntl(m.fd, F_GET_SEALS) & F_SEAL_WRITE);
	assert_memory_equal(m.map, "abc", 4);
	memfile_free(&m);
}

static void test_empty_data(void **state)
{
	struct memfile m;

	(void)state;
	assert_int_equal(memfile_create(&m, "test", 16, "", 0), 0);
	assert_int_equal(m.size, 17);
	assert_int_equal(m.map[16], '\0');
	memfile_free(&m);
}

/* A connected TCP pair over loopback (where sendfile() queues references to the file's pages). */
static void tcp_pair(int sv[2])
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), size = 1 << 20;

	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &al), 0);
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(sv[0] >= 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	assert_int_equal(connect(sv[0], (struct sockaddr *)&a, sizeof(a)), 0);
	sv[1] = accept(l, NULL, NULL);
	assert_true(sv[1] >= 0);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	close(l);
}

/* Bytes queued in a socket by sendfile() stay intact after the memfile is freed and another one is
 * created in its place. */
static void test_in_flight_after_free(void **state)
{
	enum { N = 200000 };
	static char a[N], b[N], got[N];
	struct memfile m, other;
	int sv[2];
	size_t have = 0;
	off_t off = 8;

	(void)state;
	memset(a, 'A', N);
	memset(b, 'B', N);
	tcp_pair(sv);
	assert_int_equal(memfile_create(&m, "test", 8, a, N), 0);
	while (off < 8 + N) {
		ssize_t w = sendfile(sv[0], m.fd, &off, (size_t)(8 + N - off));

		assert_true(w > 0);
	}
	memfile_free(&m);
	assert_int_equal(memfile_create(&other, "test", 8, b, N), 0);
	while (have < N) {
		ssize_t r = read(sv[1], got + have, N - have);

		assert_true(r > 0);
		have += (size_t)r;
	}
	assert_memory_equal(got, a, N);
	memfile_free(&other);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_sealed),
	    cmocka_unit_test(test_empty_data),
	    cmocka_unit_test(test_in_flight_after_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
