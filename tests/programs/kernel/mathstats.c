/* <math.h> as coursework uses it: the mean, standard deviation and geometric
 * mean of a small data set, and a few values of the elementary functions,
 * printed with 17 significant digits (enough to tell every double apart).
 * The machine has no FPU: all of it is soft-float, and libm is part of libc
 * (on Linux, link with -lm). */
#include <errno.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
	double data[] = { 12.5, 7.25, 3.0, 18.75, 9.5, 14.0, 5.5, 11.0 };
	int n = sizeof data / sizeof data[0];
	double sum = 0, logsum = 0;
	for (int i = 0; i < n; i++) {
		sum += data[i];
		logsum += log(data[i]);
	}
	double mean = sum / n, squares = 0;
	for (int i = 0; i < n; i++)
		squares += (data[i] - mean) * (data[i] - mean);
	printf("n = %d\n", n);
	printf("mean = %.17g\n", mean);
	printf("standard deviation = %.17g\n", sqrt(squares / (n - 1)));
	printf("geometric mean = %.17g\n", exp(logsum / n));
	printf("rms = %.17g\n", sqrt(squares / n));

	double xs[] = { 0.5, 1.0, 2.0, 3.14159, 10.0, 100.0, 1e22 };
	for (int i = 0; i < (int)(sizeof xs / sizeof xs[0]); i++) {
		double x = xs[i];
		printf("x = %g: sin %.17g cos %.17g\n", x, sin(x), cos(x));
	}
	printf("exp(1) = %.17g, M_E = %.17g\n", exp(1.0), M_E);
	printf("log(10) = %.17g, log2(1024) = %.17g, log10(0.001) = %.17g\n", log(10.0), log2(1024.0), log10(0.001));
	printf("pow(2, 10) = %.17g, pow(2, 0.5) = %.17g, pow(-2, 3) = %.17g\n", pow(2, 10), pow(2, 0.5), pow(-2, 3));
	printf("pow(1.0001, 10000) = %.17g\n", pow(1.0001, 10000));
	printf("atan2(1, -1) = %.17g, 4 atan(1) = %.17g, M_PI = %.17g\n", atan2(1, -1), 4 * atan(1), M_PI);
	printf("asin(0.5) * 6 = %.17g, acos(-1) = %.17g\n", asin(0.5) * 6, acos(-1));
	printf("tanh(0.5) = %.17g, hypot(3, 4) = %.17g, cbrt(27) = %.17g\n", tanh(0.5), hypot(3, 4), cbrt(27));
	printf("floor(-2.5) = %g, ceil(-2.5) = %g, round(-2.5) = %g, rint(-2.5) = %g, trunc(-2.7) = %g\n",
	       floor(-2.5), ceil(-2.5), round(-2.5), rint(-2.5), trunc(-2.7));
	printf("fmod(10, 3) = %g, remainder(10, 3) = %g\n", fmod(10, 3), remainder(10, 3));

	errno = 0;
	double r = sqrt(-1.0);
	printf("sqrt(-1) is a NaN: %d, errno %s\n", isnan(r) != 0, errno == EDOM ? "EDOM" : "?");   /* its sign is not specified */
	errno = 0;
	r = exp(1000.0);
	printf("exp(1000) = %g, errno %s\n", r, errno == ERANGE ? "ERANGE" : "?");
	errno = 0;
	r = log(0.0);
	printf("log(0) = %g, errno %s\n", r, errno == ERANGE ? "ERANGE" : "?");
	printf("isinf(HUGE_VAL) %d, isnan(NAN) %d, fpclassify(1e-310) == FP_SUBNORMAL %d\n",
	       isinf(HUGE_VAL) != 0, isnan(NAN) != 0, fpclassify(1e-310) == FP_SUBNORMAL);
	return 0;
}
